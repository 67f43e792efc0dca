// The image phase: hash the build context, skip the build when the registry already has the
// content-addressed tag, otherwise log in, build, push and read the pushed digest back.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BuildSettings } from '../context.ts';
import { UserError, errorMessage } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { parseRegistry, type ParsedRegistry } from '../core/image/registry.ts';
import { buildxBuildPush, classicBuildPush, dockerLogin, type DockerEnv } from './build.ts';
import { digestContext } from './context-digest.ts';
import { detectBuilder, prepareLayerCache } from './layer-cache.ts';
import { checkContext } from './context-check.ts';
import { isInside } from '../core/workspace-path.ts';
import { RegistryClient } from './registry-client.ts';

export { parseRegistry, prebuiltImageWarning } from '../core/image/registry.ts';
export type { ParsedRegistry } from '../core/image/registry.ts';

export interface ImageRequest {
  registry: string;
  build: BuildSettings;
  workspace: string;
  getAccessToken(): Promise<string>;
  commitSha?: string;
  jobRegion: string;
  dockerConfigDir: string;
  log: Logger;
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  signal?: AbortSignal;
}

export interface BuiltImage {
  /** `REPO@sha256:...`, what the job runs. */
  imageUri: string;
  digest: string;
  /** The content-addressed tag (`ctx-...`). */
  tag: string;
  skipped: boolean;
  reason: string;
}

export const DEFAULT_PLATFORM = 'linux/amd64';

export { isInside } from '../core/workspace-path.ts';

export type BuildSource = Pick<ImageRequest, 'build' | 'workspace'>;

export function resolvePaths(req: BuildSource): { contextDir: string; dockerfile: string } {
  const contextDir = path.resolve(req.workspace, req.build.context || '.');
  const dockerfile = req.build.dockerfile
    ? path.resolve(req.workspace, req.build.dockerfile)
    : path.join(contextDir, 'Dockerfile');
  return { contextDir, dockerfile };
}

/** Point the commit tag at an existing manifest; a convenience, so failures only warn. */
export async function addCommitTag(
  client: RegistryClient,
  reg: ParsedRegistry,
  ctxTag: string,
  tag: string,
  log: Logger,
) {
  try {
    await client.tagManifest(ctxTag, tag);
    log.info(`Tagged ${reg.name}:${tag} (same manifest as ${ctxTag})`);
  } catch (err) {
    log.warning(`could not add tag ${tag} to ${reg.name}: ${errorMessage(err)}`);
  }
}

/** Problem locations as annotations need them: relative to the workspace. */
function relativeToWorkspace(err: unknown, workspace: string): unknown {
  if (!(err instanceof UserError)) return err;
  const problems = err.problems.map((p) =>
    p.file && path.isAbsolute(p.file) && isInside(p.file, workspace)
      ? { ...p, file: path.relative(workspace, p.file) }
      : p,
  );
  return new UserError(err.phase, err.message, problems);
}

/** Why nothing is built: the registry has the content-addressed tag already. */
export function unchangedReason(imageName: string, tag: string): string {
  return (
    `${imageName}:${tag} already exists: the build context, Dockerfile, build args and platform ` +
    `are unchanged since it was pushed, so nothing is built`
  );
}

export async function buildAndPushImage(req: ImageRequest): Promise<BuiltImage> {
  if (isInside(path.resolve(req.dockerConfigDir), path.resolve(req.workspace))) {
    // The docker config holds the registry credential: never inside the checked-out tree.
    throw new Error(`dockerConfigDir ${req.dockerConfigDir} must be outside the workspace`);
  }
  const check = await checkContext(req, req.jobRegion);
  if (check.unchanged) return check.unchanged;
  const { reg, client, contextDir, dockerfile, platform, humanTag, ctx } = check;
  req.log.info(`${reg.name}:${ctx.tag} is not in the registry yet: building`);

  await mkdir(req.dockerConfigDir, { recursive: true, mode: 0o700 });
  const d: DockerEnv = {
    env: { DOCKER_CONFIG: req.dockerConfigDir },
    log: req.log,
    signal: req.signal,
  };
  const tags = [`${reg.name}:${ctx.tag}`];
  if (humanTag) tags.push(`${reg.name}:${humanTag}`);

  const pushedDigest = await req.group(`Image: docker build and push ${reg.name}`, async () => {
    await dockerLogin(reg.host, await req.getAccessToken(), d);
    const builder = await detectBuilder(d);
    const cache = await prepareLayerCache({
      builder,
      imageName: reg.name,
      cacheFromInput: req.build.cacheFrom,
      cacheToInput: req.build.cacheTo,
      platform,
      client,
      d,
    });
    const spec = {
      contextDir,
      dockerfile,
      tags,
      buildArgs: req.build.buildArgs,
      platform,
      cacheFrom: cache.cacheFrom,
      cacheTo: cache.cacheTo,
      cacheTags: cache.cacheTags,
    };
    try {
      return await (builder.kind === 'buildx'
        ? buildxBuildPush(spec, d)
        : classicBuildPush(spec, d));
    } catch (err) {
      throw relativeToWorkspace(err, req.workspace);
    }
  });

  // The registry is the source of truth for what the job will pull.
  const heads = await Promise.all(
    tags.map((t) => client.headManifest(t.slice(reg.name.length + 1))),
  );
  const ctxHead = heads[0];
  if (!ctxHead) {
    throw new UserError(
      'build',
      `pushed ${tags[0]} but the registry does not list it; check the registry path`,
    );
  }
  if (pushedDigest !== undefined && pushedDigest !== ctxHead.digest) {
    throw new UserError(
      'build',
      `registry digest ${ctxHead.digest} for ${tags[0]} differs from the pushed ${pushedDigest}; ` +
        `another build may have pushed the same tag concurrently: re-run the job`,
    );
  }
  heads.slice(1).forEach((h, i) => {
    if (h?.digest !== ctxHead.digest)
      req.log.warning(`${tags[i + 1]} does not point at ${ctxHead.digest}`);
  });
  const reason = `built and pushed ${tags.join(', ')}`;
  req.log.info(`${reason}; the job runs ${reg.name}@${ctxHead.digest}`);
  return {
    imageUri: `${reg.name}@${ctxHead.digest}`,
    digest: ctxHead.digest,
    tag: ctx.tag,
    skipped: false,
    reason,
  };
}

/**
 * The content-addressed reference a build of this context would push (`REPO:ctx-...`),
 * computed locally with the build's own digest: what a dry run shows.
 */
export async function plannedImageReference(
  req: BuildSource & { registry: string },
): Promise<string> {
  const { contextDir, dockerfile } = resolvePaths(req);
  const digest = await digestContext({
    contextDir,
    dockerfile,
    buildArgs: req.build.buildArgs,
    platform: req.build.platform || DEFAULT_PLATFORM,
  });
  return `${parseRegistry(req.registry).name}:${digest.tag}`;
}

/** For the post step: remove the temporary DOCKER_CONFIG holding the registry credential. */
export async function removeDockerConfig(dir: string): Promise<void> {
  if (!dir || path.resolve(dir) === path.parse(path.resolve(dir)).root) return;
  await rm(dir, { recursive: true, force: true });
}
