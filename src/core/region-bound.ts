// The parts of a launch that live in one region and must follow the job when it falls back to
// another: the request's parent, the staging bucket and base output directory (`{region}` in
// them stands for the attempt's region), and the image (`{region}` in the `registry` or
// `image` input). Pure.
import type { CreateCustomJobRequestJson, JsonObject, JsonValue } from './request.ts';

export const REGION_PLACEHOLDER = '{region}';

export function hasRegionPlaceholder(value: string | undefined): boolean {
  return value?.includes(REGION_PLACEHOLDER) ?? false;
}

export function inRegion(template: string, region: string): string {
  return template.split(REGION_PLACEHOLDER).join(region);
}

/** The `{region}` templates of a compiled launch, when its bucket or output directory has one. */
export interface RegionTemplates {
  stagingBucket: string;
  outputUriPrefix?: string;
}

/** What a compiled launch has of the region (src/core/queue-config/compile.ts). */
export interface RegionBoundLaunch {
  request: CreateCustomJobRequestJson;
  project: string;
  region: string;
  stagingBucket: string;
  regionTemplates?: RegionTemplates;
}

function asObject(v: JsonValue | undefined): JsonObject | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

function outputPrefixOf(launch: RegionBoundLaunch): string | undefined {
  const dir = asObject(asObject(launch.request.customJob.jobSpec)?.baseOutputDirectory);
  return typeof dir?.outputUriPrefix === 'string' ? dir.outputUriPrefix : undefined;
}

/** The launch with its parent, bucket and output directory in `region`, and `image` swapped. */
export function retarget<T extends RegionBoundLaunch>(
  launch: T,
  region: string,
  image?: { from: string; to: string },
): T {
  const templates = launch.regionTemplates;
  const jobSpec = { ...(asObject(launch.request.customJob.jobSpec) ?? {}) };
  if (templates?.outputUriPrefix) {
    jobSpec.baseOutputDirectory = {
      outputUriPrefix: inRegion(templates.outputUriPrefix, region),
    };
  }
  if (image && image.from !== image.to && Array.isArray(jobSpec.workerPoolSpecs)) {
    jobSpec.workerPoolSpecs = jobSpec.workerPoolSpecs.map((raw) => {
      const pool = asObject(raw);
      const container = asObject(pool?.containerSpec);
      if (!pool || container?.imageUri !== image.from) return raw;
      return { ...pool, containerSpec: { ...container, imageUri: image.to } };
    });
  }
  return {
    ...launch,
    region,
    stagingBucket: templates ? inRegion(templates.stagingBucket, region) : launch.stagingBucket,
    request: {
      parent: `projects/${launch.project}/locations/${region}`,
      customJob: { ...launch.request.customJob, jobSpec },
    },
  };
}

/**
 * A freshly compiled launch with `{region}` in its bucket or output directory: the templates
 * are kept for the other regions, and the launch is bound to its own region.
 */
export function bindRegionTemplates<T extends RegionBoundLaunch>(launch: T): T {
  const outputUriPrefix = outputPrefixOf(launch);
  if (!hasRegionPlaceholder(launch.stagingBucket) && !hasRegionPlaceholder(outputUriPrefix))
    return launch;
  const regionTemplates: RegionTemplates = {
    stagingBucket: launch.stagingBucket,
    ...(hasRegionPlaceholder(outputUriPrefix) ? { outputUriPrefix } : {}),
  };
  return retarget({ ...launch, regionTemplates }, launch.region);
}
