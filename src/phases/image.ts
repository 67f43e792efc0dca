// Which image the job runs: the `image` input as it is, or the one built from the repository
// and pushed to `registry` (pinned by digest). A dry run only computes the tag it would use.
import path from 'node:path';
import type { LaunchContext } from '../context.ts';
import type { Logger } from '../core/log.ts';
import { buildAndPushImage, parseRegistry, prebuiltImageWarning } from '../docker/index.ts';
import { digestContext } from '../docker/context-digest.ts';

export interface ChosenImage {
  uri: string;
  input: 'image' | 'registry';
  digest?: string;
  /** Built and pushed (or found already pushed) by this step. */
  built: boolean;
}

/** The image the queue config's `${image_uri}` will stand for before anything is built. */
export function intendedImage(
  ctx: LaunchContext,
): { uri: string; input: 'image' | 'registry' } | undefined {
  if (ctx.image) return { uri: ctx.image, input: 'image' };
  if (ctx.registry) return { uri: `${parseRegistry(ctx.registry).name}:latest`, input: 'registry' };
  return undefined;
}

export function prebuiltImage(ctx: LaunchContext, log: Logger): ChosenImage | undefined {
  if (!ctx.image) return undefined;
  const warning = prebuiltImageWarning(ctx.image);
  if (warning) log.warning(warning);
  return { uri: ctx.image, input: 'image', built: false };
}

function buildPaths(ctx: LaunchContext, workspace: string) {
  const contextDir = path.resolve(workspace, ctx.build.context || '.');
  return {
    contextDir,
    dockerfile: path.resolve(
      workspace,
      ctx.build.dockerfile || path.join(ctx.build.context, 'Dockerfile'),
    ),
  };
}

/** The content-addressed reference a build would push, computed locally (dry run). */
export async function plannedImage(
  ctx: LaunchContext,
  workspace: string,
): Promise<ChosenImage | undefined> {
  if (!ctx.registry) return undefined;
  const registry = parseRegistry(ctx.registry);
  const digest = await digestContext({
    ...buildPaths(ctx, workspace),
    buildArgs: ctx.build.buildArgs,
    platform: ctx.build.platform,
  });
  return { uri: `${registry.name}:${digest.tag}`, input: 'registry', built: false };
}

export async function builtImage(
  ctx: LaunchContext,
  opts: {
    workspace: string;
    getAccessToken(): Promise<string>;
    commitSha?: string;
    region: string;
    dockerConfigDir: string;
    log: Logger;
    group<T>(title: string, fn: () => Promise<T>): Promise<T>;
    signal?: AbortSignal;
  },
): Promise<ChosenImage> {
  const built = await buildAndPushImage({
    registry: ctx.registry as string,
    build: ctx.build,
    workspace: opts.workspace,
    getAccessToken: opts.getAccessToken,
    commitSha: opts.commitSha,
    jobRegion: opts.region,
    dockerConfigDir: opts.dockerConfigDir,
    log: opts.log,
    group: opts.group,
    signal: opts.signal,
  });
  return { uri: built.imageUri, input: 'registry', digest: built.digest, built: true };
}
