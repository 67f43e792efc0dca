// W&B Launch jobs: an artifact of type `job` whose `wandb-job.json` says how to run it. Only an
// image-source job (`source_type: "image"`, `source.image`) runs as it is; a job of source type
// `repo` or `artifact` needs its image built first, which a launch from CI does from the
// repository instead (the `registry` input). The entrypoint, when the job has one, becomes the
// command, as W&B's Vertex runner sets it.

/** `ENTITY/PROJECT/NAME:ALIAS` of a W&B Launch job. */
export interface WandbJobPath {
  entity: string;
  project: string;
  name: string;
  alias: string;
}

export interface WandbJob {
  /** `ENTITY/PROJECT/NAME:ALIAS` */
  path: string;
  image: string;
  entrypoint?: string[];
}

export type JobResult =
  | { ok: true; job: WandbJob }
  /** `needsBuild`: a valid job of another source type (a W&B agent would build it). */
  | { ok: false; message: string; needsBuild: boolean };

const JOB_PATH = /^([^/\s]+)\/([^/\s]+)\/([^/:\s]+)(?::([^/:\s]+))?$/;

export function parseJobPath(text: string): WandbJobPath | undefined {
  const m = JOB_PATH.exec(text);
  return m ? { entity: m[1], project: m[2], name: m[3], alias: m[4] ?? 'latest' } : undefined;
}

export function jobPathText(path: WandbJobPath): string {
  return `${path.entity}/${path.project}/${path.name}:${path.alias}`;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** The job that `wandb-job.json` (its text) describes. */
export function jobFromJson(path: string, text: string): JobResult {
  const bad = (message: string): JobResult => ({ ok: false, message, needsBuild: false });
  let info: unknown;
  try {
    info = JSON.parse(text);
  } catch {
    return bad(`the wandb-job.json of W&B job ${path} is not JSON`);
  }
  if (info === null || typeof info !== 'object')
    return bad(`the wandb-job.json of W&B job ${path} is not a JSON object`);
  const { source_type: sourceType, source } = info as { source_type?: unknown; source?: unknown };
  if (sourceType !== 'image') {
    return {
      ok: false,
      needsBuild: sourceType === 'repo' || sourceType === 'artifact',
      message: `W&B job ${path} has source type ${String(sourceType)}, so its image would have to be built; wb-vertex-launch runs image jobs only: build from the repository with the registry input instead`,
    };
  }
  const { image, entrypoint } = (source ?? {}) as { image?: unknown; entrypoint?: unknown };
  if (typeof image !== 'string' || image === '')
    return bad(`W&B job ${path} names no source.image`);
  if (entrypoint !== undefined && entrypoint !== null && !isStringList(entrypoint))
    return bad(`the entrypoint of W&B job ${path} is not a list of strings`);
  return {
    ok: true,
    job: {
      path,
      image,
      ...(isStringList(entrypoint) && entrypoint.length > 0 ? { entrypoint } : {}),
    },
  };
}
