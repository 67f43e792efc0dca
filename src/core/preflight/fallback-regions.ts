// Preflight of the fallback regions: can the job run in each one as it is? The images must be
// pullable there (in that region, in the multi-region around it, or `{region}` in the input)
// and the buckets in that region (Vertex AI refuses any other). A region that fails is left
// out of the launch, with the reasons; the launch goes on in the others. Pure: the bucket
// locations come in as the adapter found them.
import type { UnusableRegion } from '../attempts.ts';
import { parseRegistry, registryRegionWarning, splitReference } from '../image/registry.ts';
import { inRegion } from '../region-bound.ts';
import { bucketLocationProblem, type BucketLocation } from './bucket-location.ts';
import type { Finding, PreflightReport } from './findings.ts';
import type { Outcome } from './online.ts';
import type { ImageSource } from './region-check.ts';
import { checkRegion } from './region-check.ts';

export const FALLBACK_PATH = 'fallback-regions';

function locatedRegistry(source: ImageSource, region: string) {
  const value = inRegion(source.value, region);
  try {
    if (source.isRegistry) return parseRegistry(value);
    const ref = splitReference(value.trim());
    return ref.host ? parseRegistry(`${ref.host}/${ref.path}`) : undefined;
  } catch {
    return undefined; // Not a registry with a location (Docker Hub, another host): no rule.
  }
}

const MULTI_REGIONS: Record<string, string> = { us: 'us', europe: 'europe', asia: 'asia' };

/** An Artifact Registry host that serves `region`: its continent's multi-region, else its own. */
function nearbyHost(region: string): string {
  const multi = MULTI_REGIONS[region.split('-')[0]];
  return `${multi ?? region}-docker.pkg.dev`;
}

/** Why the job's images cannot be pulled in `region`, one reason per registry host. */
export function imageReasons(sources: ImageSource[], region: string): string[] {
  const reasons: string[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    const reg = locatedRegistry(source, region);
    if (!reg?.location || seen.has(reg.host)) continue;
    seen.add(reg.host);
    if (registryRegionWarning(reg, region) === undefined) continue;
    reasons.push(
      `the image (${source.path}) is in ${reg.location} (${reg.host}), not in ${region} or a multi-region that holds it: ` +
        `push it to ${nearbyHost(region)}, or write \`{region}\` in the registry input`,
    );
  }
  return reasons;
}

export interface FallbackBucket {
  bucket: string;
  path: string;
  location: Outcome<BucketLocation>;
}

/** Why the job's buckets cannot serve `region`; a bucket whose location is unknown is no reason. */
export function bucketReasons(buckets: FallbackBucket[], region: string): string[] {
  return buckets.flatMap(({ bucket, path, location }) => {
    if (!location.ok)
      return location.status === 404 ? [`${path} gs://${bucket} does not exist`] : [];
    const problem = bucketLocationProblem(bucket, location.value, region);
    return problem ? [`${path}: ${problem}`] : [];
  });
}

/** Findings on the `fallback-regions` input: each unusable region (a warning) and each usable one. */
export function fallbackFindings(
  regions: string[],
  unusable: UnusableRegion[],
  bucketsChecked: boolean,
): PreflightReport {
  const findings: Finding[] = unusable.map((u) => ({
    check: 'region',
    level: 'warning',
    path: FALLBACK_PATH,
    message: `${u.region} is left out of the fallback regions: ${u.reasons.join('; ')}`,
  }));
  const ruledOut = new Set(unusable.map((u) => u.region));
  const usable = regions.filter((r) => !ruledOut.has(r));
  const known = usable.map((r) => checkRegion(r, FALLBACK_PATH));
  return {
    findings: [...findings, ...known.flatMap((k) => k.findings)],
    passed: usable.map(
      (r) =>
        `fallback region ${r}: the image can be pulled there` +
        (bucketsChecked ? ', and the buckets are there' : ''),
    ),
    skipped: [],
  };
}
