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

interface ImageInputs {
  image?: string;
  registry?: string;
  regionTemplates?: { image?: string; registry?: string };
}

/** The `image` and `registry` inputs with `{region}` bound to the job's region; as given in `regionTemplates`. */
export function inputsInRegion<T extends ImageInputs>(
  inputs: T,
  region: string,
): T & Required<Pick<ImageInputs, 'regionTemplates'>> {
  const bind = (v: string | undefined) => (v === undefined ? v : inRegion(v, region));
  const regionTemplates = inputs.regionTemplates ?? {
    image: inputs.image,
    registry: inputs.registry,
  };
  return {
    ...inputs,
    image: bind(regionTemplates.image),
    registry: bind(regionTemplates.registry),
    regionTemplates,
  };
}

/**
 * The image a region's pools pull instead of the job region's: the `image` input with
 * `{region}` bound to it, or the built digest in the `registry` input's repository there.
 */
export function imageInRegion(
  templates: { image?: string; registry?: string },
  chosen: { uri: string; digest?: string } | undefined,
  region: string,
): { from: string; to: string } | undefined {
  if (!chosen) return undefined;
  if (templates.image && hasRegionPlaceholder(templates.image))
    return { from: chosen.uri, to: inRegion(templates.image, region) };
  if (templates.registry && hasRegionPlaceholder(templates.registry) && chosen.digest) {
    const name = inRegion(templates.registry, region).trim().replace(/\/+$/, '');
    return { from: chosen.uri, to: `${name}@${chosen.digest}` };
  }
  return undefined;
}
