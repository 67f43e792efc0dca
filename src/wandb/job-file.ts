// A W&B Launch job's `wandb-job.json`, fetched as the SDK's `Api.job()` gets it: the file's URL
// from the job artifact's version (one GraphQL request), then the file itself.
import type { WandbJobPath } from '../context.ts';
import { jobFromJson, jobPathText, type JobResult } from '../core/wandb-launch/job.ts';
import type { WandbClient } from './client.ts';
import { ARTIFACT_FILES_QUERY, type ArtifactFilesResponse } from './launch-queries.ts';

export const JOB_FILE = 'wandb-job.json';

export interface ArtifactVersion {
  entity: string;
  project: string;
  name: string;
  alias: string;
}

/** The file's text; undefined when W&B has no such artifact version, or it has no such file. */
export async function readArtifactFile(
  client: WandbClient,
  version: ArtifactVersion,
  file: string,
): Promise<string | undefined> {
  const data = await client.request<ArtifactFilesResponse>(
    'ArtifactMembershipFiles',
    ARTIFACT_FILES_QUERY,
    {
      entity: version.entity,
      project: version.project,
      collection: version.name,
      alias: version.alias,
      fileNames: [file],
    },
  );
  const membership = data.project?.artifactCollection?.artifactMembership;
  const node = membership?.files.edges.map((e) => e.node).find((n) => n?.name === file);
  return node ? client.download(node.directUrl) : undefined;
}

/** The W&B Launch job at `path`, as its `wandb-job.json` describes it. */
export async function loadWandbJob(client: WandbClient, path: WandbJobPath): Promise<JobResult> {
  const text = jobPathText(path);
  const json = await readArtifactFile(client, path, JOB_FILE);
  if (json === undefined) {
    return {
      ok: false,
      needsBuild: false,
      message: `W&B has no job ${text} (an artifact of type job with a ${JOB_FILE}), or the key may not see it`,
    };
  }
  return jobFromJson(text, json);
}
