// Preflight of `fallback-regions`, beside the job region's own checks: for each fallback
// region, whether the images can be pulled there and the (region-substituted) buckets are
// there. The bucket locations are read once each, all at once; without credentials for Cloud
// Storage (or in a dry run) only the images are checked.
import type { LaunchContext } from '../context.ts';
import type { UnusableRegion } from '../core/attempts.ts';
import {
  bucketTargets,
  type BucketLocation,
  type Outcome,
  type PreflightReport,
} from '../core/preflight/index.ts';
import {
  bucketReasons,
  fallbackFindings,
  imageReasons,
  type FallbackBucket,
} from '../core/preflight/fallback-regions.ts';
import { imageSources } from '../core/preflight/offline.ts';
import type { CompiledLaunch } from '../core/queue-config/compile.ts';
import { retarget } from '../core/region-bound.ts';
import type { GoogleCredentials } from '../google-auth/index.ts';
import { connectStorage, storageEndpoint } from '../storage/index.ts';

export interface FallbackCheck {
  report: PreflightReport;
  unusable: UnusableRegion[];
}

export async function checkFallbackRegions(
  ctx: LaunchContext,
  launch: CompiledLaunch,
  opts: { credentials?: GoogleCredentials; buckets: boolean },
): Promise<FallbackCheck> {
  const regions = ctx.fallbackRegions.filter((r) => r !== launch.region);
  if (regions.length === 0)
    return { report: { findings: [], passed: [], skipped: [] }, unusable: [] };
  // The inputs as given: `{region}` in them follows each region.
  const { image, registry } = ctx.regionTemplates ?? ctx;
  const sources = imageSources({ request: launch.request, registry, image });
  const launches = regions.map((region) => retarget(launch, region));
  const locate = await bucketLocator(ctx, opts);
  const skipped = locate ? [] : ['fallback regions: bucket locations not checked'];
  const perRegion = await Promise.all(
    launches.map(async (l) => {
      const buckets: FallbackBucket[] = locate
        ? await Promise.all(
            targetsOf(l).map(async (t) => ({ ...t, location: await locate(t.bucket) })),
          )
        : [];
      return [...imageReasons(sources, l.region), ...bucketReasons(buckets, l.region)];
    }),
  );
  const unusable = regions
    .map((region, i) => ({ region, reasons: perRegion[i] }))
    .filter((u) => u.reasons.length > 0);
  const report = fallbackFindings(regions, unusable, locate !== undefined);
  return { report: { ...report, skipped: [...report.skipped, ...skipped] }, unusable };
}

function targetsOf(launch: CompiledLaunch): Array<{ bucket: string; path: string }> {
  const jobSpec = launch.request.customJob.jobSpec as {
    baseOutputDirectory?: { outputUriPrefix?: string };
  };
  return bucketTargets(launch.stagingBucket, jobSpec.baseOutputDirectory?.outputUriPrefix)
    .filter((t) => t.usedByJob)
    .map((t) => ({ bucket: t.bucket, path: t.path }));
}

/** Reads each bucket's location at most once; undefined when buckets cannot be checked. */
async function bucketLocator(
  ctx: LaunchContext,
  opts: { credentials?: GoogleCredentials; buckets: boolean },
): Promise<((bucket: string) => Promise<Outcome<BucketLocation>>) | undefined> {
  const { storageEndpoint: endpoint } = ctx.preflight;
  const tls = storageEndpoint(endpoint, ctx.auth.universe).tls;
  if (!opts.buckets || (tls && !opts.credentials)) return undefined;
  const storage = await connectStorage({
    endpoint,
    universe: ctx.auth.universe,
    authClient: opts.credentials?.authClient,
  });
  const seen = new Map<string, Promise<Outcome<BucketLocation>>>();
  return (bucket) => {
    if (!seen.has(bucket)) seen.set(bucket, storage.location(bucket));
    return seen.get(bucket)!;
  };
}
