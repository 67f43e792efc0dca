// Which image the job runs: the `image` input as it is, or the one built from the repository
// and pushed to `registry` (pinned by digest), by the local Docker daemon or remotely by Kaniko
// (`builder`). A dry run only computes the tag it would use.
import type { LaunchContext } from '../context.ts';
import { secretBuildArgValues } from '../core/image/kaniko.ts';
import type { Logger } from '../core/log.ts';
import { hasRegionPlaceholder, inRegion } from '../core/region-bound.ts';
import { setSecret } from '../github/runtime.ts';
import {
  buildAndPushImage,
  parseRegistry,
  plannedImageReference,
  prebuiltImageWarning,
} from '../docker/index.ts';
import type { ImageRequest } from '../docker/index.ts';
import { copyImageByDigest } from '../docker/copy-image.ts';
import { kanikoBuiltImage, type RemoteBuild } from './kaniko-image.ts';

export interface ChosenImage {
  uri: string;
  input: 'image' | 'registry';
  digest?: string;
}

/** The image the queue config's `${image_uri}` will stand for before anything is built. */
export function intendedImage(ctx: LaunchContext): ChosenImage | undefined {
  if (ctx.image) return { uri: ctx.image, input: 'image' };
  // `{region}` stays until the job's region is known (src/core/region-bound.ts).
  if (ctx.registry && hasRegionPlaceholder(ctx.registry))
    return { uri: `${ctx.registry.trim().replace(/\/+$/, '')}:latest`, input: 'registry' };
  if (ctx.registry) return { uri: `${parseRegistry(ctx.registry).name}:latest`, input: 'registry' };
  return undefined;
}

export function prebuiltImage(ctx: LaunchContext, log: Logger): ChosenImage | undefined {
  if (!ctx.image) return undefined;
  const warning = prebuiltImageWarning(ctx.image);
  if (warning) log.warning(warning);
  return { uri: ctx.image, input: 'image' };
}

/** The content-addressed reference a build would push, computed locally (dry run). */
export async function plannedImage(
  ctx: LaunchContext,
  workspace: string,
): Promise<ChosenImage | undefined> {
  if (!ctx.registry) return undefined;
  const uri = await plannedImageReference({ registry: ctx.registry, build: ctx.build, workspace });
  return { uri, input: 'registry' };
}

export async function builtImage(
  ctx: LaunchContext,
  { remote, ...opts }: Omit<ImageRequest, 'registry' | 'build'> & { remote: RemoteBuild },
): Promise<ChosenImage> {
  // Secret build args reach docker or the executor through an environment; output may echo them.
  for (const value of secretBuildArgValues(ctx.build.buildArgs)) setSecret(value);
  const built =
    ctx.builder.kind === 'kaniko'
      ? await kanikoBuiltImage(ctx, opts, remote)
      : await buildAndPushImage({
          ...opts,
          registry: ctx.registry as string,
          build: ctx.build,
        });
  return { uri: built.imageUri, input: 'registry', digest: built.digest };
}

/**
 * `{region}` in the `registry` input: the image built in the job's region is copied, by
 * digest, to the same path in each fallback region's registry before anything is submitted.
 */
export async function copyToFallbackRegions(
  ctx: LaunchContext,
  image: ChosenImage | undefined,
  regions: string[],
  opts: { getAccessToken(): Promise<string>; log: Logger; group: ImageRequest['group'] },
): Promise<void> {
  const template = ctx.regionTemplates?.registry;
  const digest = image?.digest;
  if (!digest || !ctx.registry || !template || !hasRegionPlaceholder(template)) return;
  if (regions.length === 0) return;
  const from = parseRegistry(ctx.registry);
  await opts.group(`Image: ${digest} in the fallback regions (${regions.join(', ')})`, () =>
    Promise.all(
      regions.map((region) => {
        const to = parseRegistry(inRegion(template, region));
        return copyImageByDigest(from, to, digest, opts).then((end) => {
          if (end === 'present') opts.log.info(`${to.name}@${digest}: already there.`);
        });
      }),
    ),
  );
}
