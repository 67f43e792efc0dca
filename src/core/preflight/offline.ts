// The checks that need nothing but the compiled request and the inputs: machine and
// accelerator, the region, and where the images come from. They run before any network call.
import type { CreateCustomJobRequestJson, JsonObject, JsonValue } from '../request.ts';
import { mergeReports, type PreflightReport } from './findings.ts';
import { checkMachines, type MachineSpecView } from './machine-check.ts';
import { checkRegion, checkRegistries, type ImageSource } from './region-check.ts';

export interface OfflineInputs {
  request: CreateCustomJobRequestJson;
  region: string;
  /** Where the region was given: `spec.location` wins over the `region` input. */
  regionPath: string;
  registry?: string;
  image?: string;
}

const POOLS = 'spec.worker_pool_specs';

function asObject(v: JsonValue | undefined): JsonObject | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

function asCount(v: JsonValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

function poolsOf(request: CreateCustomJobRequestJson): JsonObject[] {
  const pools = asObject(request.customJob.jobSpec)?.workerPoolSpecs;
  return Array.isArray(pools) ? pools.map((p) => asObject(p) ?? {}) : [];
}

export function machineSpecs(
  request: CreateCustomJobRequestJson,
): Array<MachineSpecView | undefined> {
  return poolsOf(request).map((pool) => {
    const m = asObject(pool.machineSpec);
    if (!m) return undefined;
    return {
      machineType: typeof m.machineType === 'string' ? m.machineType : undefined,
      acceleratorType: typeof m.acceleratorType === 'string' ? m.acceleratorType : undefined,
      acceleratorCount: asCount(m.acceleratorCount),
    };
  });
}

/** The registry input first, then the image input, then each pool's own image. */
export function imageSources(
  inputs: Pick<OfflineInputs, 'request' | 'registry' | 'image'>,
): ImageSource[] {
  const sources: ImageSource[] = [];
  if (inputs.registry) sources.push({ path: 'registry', value: inputs.registry, isRegistry: true });
  if (inputs.image) sources.push({ path: 'image', value: inputs.image, isRegistry: false });
  poolsOf(inputs.request).forEach((pool, i) => {
    const container = asObject(pool.containerSpec)?.imageUri;
    const executor = asObject(pool.pythonPackageSpec)?.executorImageUri;
    if (typeof container === 'string')
      sources.push({
        path: `${POOLS}[${i}].container_spec.image_uri`,
        value: container,
        isRegistry: false,
      });
    if (typeof executor === 'string')
      sources.push({
        path: `${POOLS}[${i}].python_package_spec.executor_image_uri`,
        value: executor,
        isRegistry: false,
      });
  });
  return sources;
}

export function offlineChecks(inputs: OfflineInputs): PreflightReport {
  return mergeReports(
    checkMachines(machineSpecs(inputs.request), (i) => `${POOLS}[${i}]`),
    checkRegion(inputs.region, inputs.regionPath),
    checkRegistries(imageSources(inputs), inputs.region),
  );
}
