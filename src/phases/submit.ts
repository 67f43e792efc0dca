// Phases 6 and 7 of a launch: the request submitted exactly once per region (a region without
// capacity passes it on to the next of `fallback-regions`), the job's handle recorded for the
// post step and published before any waiting, then the job followed to its end (follow.ts).
import { openVertex } from '../cloud/connect.ts';
import type { LaunchContext } from '../context.ts';
import type { RegionPlan } from '../core/attempts.ts';
import { consoleUrl, type JobSnapshot } from '../core/job.ts';
import type { CompiledLaunch } from '../core/queue-config/compile.ts';
import { imageInRegion } from '../core/region-bound.ts';
import { actionLog as log, group } from '../github/runtime.ts';
import { saveJob, saveLaunchId } from '../github/state.ts';
import type { GoogleCredentials } from '../google-auth/index.ts';
import { submitCustomJob } from '../vertex/index.ts';
import { launchAcrossRegions, type AttemptRun } from './attempts.ts';
import { followToEnd } from './follow.ts';
import type { ChosenImage } from './image.ts';
import { publishJobOutputs } from './outputs.ts';
import { newLaunchLabel, type PreparedLaunch } from './prepare.ts';
import type { LaunchProgress } from './progress.ts';

export function submitInRegions(
  ctx: LaunchContext,
  prepared: PreparedLaunch,
  { launch, image, regions }: { launch: CompiledLaunch; image?: ChosenImage; regions: RegionPlan },
  credentials: GoogleCredentials | undefined,
  progress: LaunchProgress,
): Promise<void> {
  return launchAcrossRegions(
    {
      launch,
      plan: regions,
      imageFor: (region) => imageInRegion(ctx.regionTemplates ?? {}, image, region),
      firstLabel: prepared.launchLabel,
      newLabel: () => newLaunchLabel(prepared.github),
      wait: ctx.wait ?? launch.sync ?? true,
      waitTimeoutSeconds: ctx.waitTimeoutSeconds,
      progress,
    },
    (attempt) => submitAndFollow(ctx, attempt, credentials, progress),
  );
}

async function submitAndFollow(
  ctx: LaunchContext,
  { launch, launchLabel, follow }: AttemptRun,
  credentials: GoogleCredentials | undefined,
  progress: LaunchProgress,
): Promise<JobSnapshot | undefined> {
  const vertex = await openVertex(
    { ...ctx, region: launch.region, project: launch.project },
    credentials,
  );
  const wait = ctx.wait ?? launch.sync ?? true;
  try {
    // 6. Submit, exactly once; the job's handle is published before any waiting.
    const submitted = await group('Submitting the Vertex AI CustomJob', () =>
      submitCustomJob(vertex, launch.request, { launchLabel, log }),
    );
    const job = submitted.job;
    saveJob('job', job.name, wait ? 'following' : 'detached');
    // This attempt's id in the job's labels: what the post step checks before it cancels it.
    saveLaunchId(launchLabel.value);
    // The handle first: reporting to GitHub may retry for a while.
    const url = consoleUrl(launch.region, job.id, launch.project);
    publishJobOutputs(job, url);
    log.info(`Vertex AI console: ${url}`);
    await progress.submitted(job, wait);
    if (!wait) {
      log.info(
        `Not following the job (wait: false). Follow it later with \`attach: ${job.name}\`, ` +
          'or let a scheduled `reconcile: true` run complete its check run when it ends.',
      );
      await progress.finish(job, {});
      return undefined;
    }

    // 7. Follow the job until it ends, the wait times out, or the workflow is cancelled.
    return await followToEnd(
      ctx,
      vertex,
      job,
      progress,
      { credentials, project: launch.project, secrets: launch.secrets },
      follow,
    );
  } finally {
    await vertex.close();
  }
}
