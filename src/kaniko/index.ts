// The Kaniko builder: the image is built remotely, with no Docker daemon on the runner. The
// context is hashed as for Docker (same .dockerignore walk, same content-addressed tag, same
// skip when the registry has the tag), packed into a reproducible tar.gz, uploaded once to the
// build-context store under a name derived from its digest, and built by the Kaniko executor
// running as a Vertex AI CustomJob, which pushes the content-addressed and the commit tag.
// The job is followed like a training job; the digest comes from the file the executor wrote
// to Cloud Storage, checked against the registry.
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BuildSettings } from '../context.ts';
import { formatDuration } from '../core/duration.ts';
import { UserError } from '../core/errors.ts';
import {
  digestObjectName,
  contextObjectName,
  fuseMountPath,
  gsUri,
  type ContextStore,
} from '../core/image/context-store.ts';
import {
  CONTEXT_SIZE_LIMIT,
  formatBytes,
  largestExcludable,
  oversizeMessage,
} from '../core/image/context-size.ts';
import { commitTag } from '../core/image/digest-policy.ts';
import {
  BUILD_LABEL,
  kanikoArgs,
  kanikoCacheRepository,
  kanikoJobRequest,
  type KanikoJobSpec,
} from '../core/image/kaniko.ts';
import { registryRegionWarning } from '../core/image/registry.ts';
import { consoleUrl, isTerminal, shortState, type JobSnapshot } from '../core/job.ts';
import type { Logger } from '../core/log.ts';
import type { GitHubRunInfo } from '../core/queue-config/template-values.ts';
import { digestContext, type ContextDigest } from '../docker/context-digest.ts';
import {
  addCommitTag,
  DEFAULT_PLATFORM,
  parseRegistry,
  resolvePaths,
  unchangedReason,
  type BuiltImage,
} from '../docker/index.ts';
import { RegistryClient, registryBaseUrl } from '../docker/registry-client.ts';
import { connectContextObjects, type ContextObjects } from '../storage/context-upload.ts';
import type { StorageSettings } from '../storage/client.ts';
import {
  cancelCustomJob,
  connectVertex,
  followCustomJob,
  submitCustomJob,
  type ConnectOptions,
  type VertexConnection,
} from '../vertex/index.ts';
import { lstatSync } from 'node:fs';
import { packContext } from './pack.ts';

/** What the post step's backstop needs to know about the build job. */
export type BuildJobPhase = 'following' | 'done' | 'detached' | 'cancel-requested' | 'left-running';

export interface KanikoRequest {
  registry: string;
  build: BuildSettings;
  workspace: string;
  getAccessToken(): Promise<string>;
  commitSha?: string;
  project: string;
  /** The training job's region: the build job runs there too. */
  region: string;
  contextStore: ContextStore;
  executorImage: string;
  /** The training job's `run.service_account`. */
  serviceAccount?: string;
  github: GitHubRunInfo;
  /** Unique to this execution of the step (the build job's exactly-once label). */
  buildId: string;
  /** How long to follow the build job (the wait-timeout). */
  timeoutSeconds: number;
  cancelOnAbort: boolean;
  storage: StorageSettings;
  vertex: ConnectOptions;
  /** Where the archive is written before the upload (RUNNER_TEMP). */
  tempDir: string;
  log: Logger;
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** The build job's name and where main stands with it, for the post step's cancel backstop. */
  onBuildJob(name: string, phase: BuildJobPhase): void;
  signal?: AbortSignal;
  sizeLimit?: number;
}

export { DEFAULT_KANIKO_IMAGE } from '../core/image/kaniko.ts';

/** How many of the executor's last lines a failure shows. */
const KANIKO_LAST_LINES = 30;

function inContext(contextDir: string, dockerfile: string): string {
  const rel = path.relative(contextDir, dockerfile);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new UserError(
      'build',
      'with builder: kaniko the Dockerfile must be inside the build context (only the context is uploaded)',
      [{ path: 'dockerfile', message: `${dockerfile} is outside the context ${contextDir}` }],
    );
  }
  return rel.split(path.sep).join('/');
}

function checkSize(ctx: ContextDigest, contextDir: string, dockerfileRel: string, limit: number) {
  if (ctx.bytes <= limit) return;
  const files = ctx.entries
    .filter((e) => e.type === 'file')
    .map((e) => ({ path: e.path, size: lstatSync(path.join(contextDir, e.path)).size }));
  const keep = [dockerfileRel, ctx.ignoreFile ?? '.dockerignore'];
  throw new UserError(
    'build',
    oversizeMessage(ctx.bytes, limit, largestExcludable(files, keep), ctx.ignoreFile),
    [
      {
        path: 'context',
        message: `${formatBytes(ctx.bytes)} after .dockerignore; the limit is ${formatBytes(limit)}`,
      },
    ],
  );
}

/** Upload the context unless its object is there already; returns its gs:// URI. */
async function uploadContext(
  req: KanikoRequest,
  objects: ContextObjects,
  ctx: ContextDigest,
  contextDir: string,
): Promise<string> {
  const { bucket } = req.contextStore;
  const name = contextObjectName(req.contextStore, ctx.digest);
  const uri = gsUri(bucket, name);
  if (await objects.exists(bucket, name)) {
    req.log.info(`${uri} is there already (the same context, uploaded before): nothing to upload`);
    return uri;
  }
  const dir = await mkdtemp(path.join(req.tempDir, 'wbvl-context-'));
  try {
    const file = path.join(dir, 'context.tar.gz');
    let started = performance.now();
    const packed = await packContext(contextDir, ctx.entries, file, req.signal);
    if (packed.skipped.length > 0)
      req.log.warning(
        `left out of the build context (a tar for Kaniko carries no fifos or devices): ${packed.skipped.join(', ')}`,
      );
    req.log.info(
      `Packed ${packed.entries} entries into ${formatBytes(packed.bytes)} (${Math.round(performance.now() - started)} ms)`,
    );
    started = performance.now();
    const r = await objects.upload(bucket, name, file, packed.bytes, 'application/gzip');
    req.log.info(
      r.uploaded
        ? `Uploaded ${uri} (${formatBytes(packed.bytes)}, ${r.resumable ? 'resumable' : 'single request'}, ${Math.round(performance.now() - started)} ms)`
        : `${uri} appeared meanwhile (another run uploaded the same context): not uploaded again`,
    );
    return uri;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The step's error for a build job that did not succeed: Vertex's reason, then the executor's
 * last lines (what follows the first line of the job's error: the container's own words).
 */
function buildFailed(job: JobSnapshot, url: string, dockerfile: string): UserError {
  const [reason, ...rest] = (job.error?.message ?? '').trim().split('\n');
  const lines = rest.filter((l) => l.trim() !== '').slice(-KANIKO_LAST_LINES);
  return new UserError(
    'build',
    `the Kaniko build job ${job.name} ended ${shortState(job.state)}${reason ? `: ${reason}` : ''}; ` +
      'nothing was submitted.' +
      (lines.length > 0
        ? ` The executor's last lines:\n${lines.map((l) => `  ${l}`).join('\n')}`
        : '') +
      `\nBuild job: ${url}`,
    [{ path: 'dockerfile', file: dockerfile, message: 'the image build failed' }],
  );
}

/** Submit the build job, follow it to its end, and return it (SUCCEEDED) or throw. */
async function runBuildJob(
  req: KanikoRequest,
  vertex: VertexConnection,
  spec: KanikoJobSpec,
  dockerfileForProblems: string,
): Promise<JobSnapshot> {
  const request = kanikoJobRequest(spec);
  const { args } = kanikoArgs(spec);
  req.log.info(`Kaniko executor ${spec.executorImage} ${args.join(' ')}`);
  const { job } = await submitCustomJob(vertex, request, {
    launchLabel: { key: BUILD_LABEL.buildId, value: request.customJob.labels[BUILD_LABEL.buildId] },
    log: req.log,
  });
  req.onBuildJob(job.name, 'following');
  const url = consoleUrl(spec.region, job.id, spec.project);
  req.log.info(`Build job: ${url}`);
  const followed = await followCustomJob(vertex, job.name, {
    timeoutSeconds: req.timeoutSeconds,
    signal: req.signal,
    log: req.log,
  });
  const last = followed.job;
  if (followed.aborted) {
    if (!req.cancelOnAbort) {
      req.onBuildJob(job.name, 'left-running');
      throw new UserError(
        'build',
        `the workflow was cancelled while the image was built; cancel-on-abort is false, so the build job ${job.name} keeps running`,
      );
    }
    const cancelled = await cancelCustomJob(vertex, job.name);
    req.onBuildJob(job.name, 'cancel-requested');
    throw new UserError(
      'build',
      `the workflow was cancelled while the image was built: cancellation of the build job ${job.name} was requested (now ${shortState(cancelled.state)})`,
    );
  }
  if (followed.timedOut && !isTerminal(last.state)) {
    req.onBuildJob(job.name, 'detached');
    throw new UserError(
      'build',
      `stopped following the build job after ${formatDuration(req.timeoutSeconds)} (wait-timeout); ${job.name} is still ` +
        `${shortState(last.state)} and keeps running: ${url}. When it succeeds the image is in the registry, ` +
        'and a re-run finds it there and builds nothing.',
    );
  }
  req.onBuildJob(job.name, 'done');
  if (last.state !== 'JOB_STATE_SUCCEEDED') throw buildFailed(last, url, dockerfileForProblems);
  return last;
}

export async function buildWithKaniko(req: KanikoRequest): Promise<BuiltImage> {
  const reg = parseRegistry(req.registry);
  for (const w of reg.warnings) req.log.warning(w);
  const regionWarning = registryRegionWarning(reg, req.region);
  if (regionWarning) req.log.warning(regionWarning);
  const ignored = [...req.build.cacheFrom, ...req.build.cacheTo];
  if (ignored.length > 0)
    req.log.warning(
      `cache-from and cache-to are Docker's; builder: kaniko keeps its layer cache in ${kanikoCacheRepository(reg.name)} and ignores them`,
    );
  const { contextDir, dockerfile } = resolvePaths(req);
  const dockerfileRel = inContext(contextDir, dockerfile);
  const platform = req.build.platform || DEFAULT_PLATFORM;
  const client = new RegistryClient({
    host: reg.host,
    repository: reg.repository,
    getAccessToken: () => req.getAccessToken(),
    signal: req.signal,
  });
  const humanTag = commitTag(req.commitSha);

  const ctx = await req.group(
    `Image: hashing build context ${path.relative(req.workspace, contextDir) || '.'}`,
    async () => {
      const started = performance.now();
      const c = await digestContext({
        contextDir,
        dockerfile,
        buildArgs: req.build.buildArgs,
        platform,
        signal: req.signal,
      });
      req.log.info(
        `${c.files} files, ${c.bytes} bytes` +
          (c.ignoreFile ? ` (after ${c.ignoreFile})` : '') +
          `; platform ${platform}; tag ${c.tag} (${Math.round(performance.now() - started)} ms)`,
      );
      return c;
    },
  );

  const existing = await client.headManifest(ctx.tag);
  if (existing) {
    const reason = unchangedReason(reg.name, ctx.tag);
    req.log.info(`${reason}: no upload, no build job`);
    if (humanTag) await addCommitTag(client, reg, ctx.tag, humanTag, req.log);
    return {
      imageUri: `${reg.name}@${existing.digest}`,
      digest: existing.digest,
      tag: ctx.tag,
      skipped: true,
      reason,
    };
  }
  req.log.info(`${reg.name}:${ctx.tag} is not in the registry yet: building with Kaniko`);
  checkSize(ctx, contextDir, dockerfileRel, req.sizeLimit ?? CONTEXT_SIZE_LIMIT);

  const objects = await connectContextObjects(req.storage);
  const contextUri = await req.group(
    `Image: build context to gs://${req.contextStore.bucket}`,
    () => uploadContext(req, objects, ctx, contextDir),
  );

  const destinations = [`${reg.name}:${ctx.tag}`];
  if (humanTag) destinations.push(`${reg.name}:${humanTag}`);
  const digestObject = digestObjectName(req.contextStore, req.buildId);
  const spec: KanikoJobSpec = {
    project: req.project,
    region: req.region,
    executorImage: req.executorImage,
    contextUri,
    dockerfile: dockerfileRel,
    destinations,
    cacheRepository: kanikoCacheRepository(reg.name),
    digestFile: fuseMountPath(req.contextStore.bucket, digestObject),
    platform,
    buildArgs: req.build.buildArgs,
    insecureRegistry: registryBaseUrl(reg.host).startsWith('http:') ? reg.host : undefined,
    serviceAccount: req.serviceAccount,
    tag: ctx.tag,
    github: req.github,
    buildId: req.buildId,
    timeoutSeconds: req.timeoutSeconds,
  };
  const vertex = await connectVertex(req.vertex);
  try {
    await req.group(`Image: Kaniko build job in ${req.region}`, () =>
      runBuildJob(req, vertex, spec, path.relative(req.workspace, dockerfile)),
    );
  } finally {
    await vertex.close();
  }

  // The digest the executor wrote, checked against what the registry serves for the tag.
  const written = (await objects.readText(req.contextStore.bucket, digestObject))?.trim();
  const heads = await Promise.all(
    destinations.map((d) => client.headManifest(d.slice(reg.name.length + 1))),
  );
  const ctxHead = heads[0];
  if (!ctxHead)
    throw new UserError(
      'build',
      `the build job succeeded but the registry does not list ${destinations[0]}; check that the build job's service account may push to it`,
    );
  if (written === undefined || !/^sha256:[0-9a-f]{64}$/.test(written)) {
    req.log.warning(
      `the build job wrote no digest to ${gsUri(req.contextStore.bucket, digestObject)} (can its service account write to the bucket?); ` +
        `using the registry's digest of ${destinations[0]}`,
    );
  } else if (written !== ctxHead.digest) {
    throw new UserError(
      'build',
      `the build job pushed ${written} but the registry serves ${ctxHead.digest} for ${destinations[0]}; ` +
        'another build may have pushed the same tag concurrently: re-run the job',
    );
  }
  heads.slice(1).forEach((h, i) => {
    if (h?.digest !== ctxHead.digest)
      req.log.warning(`${destinations[i + 1]} does not point at ${ctxHead.digest}`);
  });
  const reason = `built with Kaniko and pushed ${destinations.join(', ')}`;
  req.log.info(`${reason}; the job runs ${reg.name}@${ctxHead.digest}`);
  return {
    imageUri: `${reg.name}@${ctxHead.digest}`,
    digest: ctxHead.digest,
    tag: ctx.tag,
    skipped: false,
    reason,
  };
}
