// Per-region capacity. One local endpoint serves every region: a Create's parent
// (`projects/P/locations/REGION`) says which region's capacity applies. A region can be out of
// given accelerators (the job is created, waits, then fails with code 8 and Vertex's stockout
// message) or refuse Create with a regional training quota (RESOURCE_EXHAUSTED at once).
// The wording is Vertex AI's own (see src/core/capacity.ts for where it was seen).

import { status } from '@grpc/grpc-js';
import type { RpcStatus, Scenario } from './scenarios.ts';

type Obj = Record<string, unknown>;

/** `*` stands for every machine, with or without accelerators. */
export const ANY_MACHINE = '*';

export interface RegionCapacity {
  /** Accelerator types (or `*`) the region has none of: jobs needing them stock out. */
  outOf?: string[];
  /** Accelerator types (or `*`) whose regional quota is used up: Create is refused. */
  quotaExhausted?: string[];
}

export class CapacityTable {
  private readonly regions = new Map<string, RegionCapacity>();

  set(region: string, capacity: RegionCapacity): void {
    for (const list of [capacity.outOf, capacity.quotaExhausted])
      if (list !== undefined && !(Array.isArray(list) && list.every((a) => typeof a === 'string')))
        throw new Error('outOf and quotaExhausted must be arrays of accelerator type names');
    this.regions.set(region, { outOf: capacity.outOf, quotaExhausted: capacity.quotaExhausted });
  }

  clear(): void {
    this.regions.clear();
  }

  snapshot(): Record<string, RegionCapacity> {
    return Object.fromEntries(this.regions);
  }

  /** The Create refusal for this request, when its region's quota is used up. */
  createRefusal(request: Obj): RpcStatus | undefined {
    const region = regionOf(request);
    const hit = firstMatch(this.regions.get(region)?.quotaExhausted, acceleratorsOf(request));
    if (hit === undefined) return undefined;
    return {
      code: status.RESOURCE_EXHAUSTED,
      message: `The following quota metrics exceed quota limits: aiplatform.googleapis.com/custom_model_training_${quotaMetric(hit)}`,
    };
  }

  /** A created job's life when its region has none of its accelerators; undefined otherwise. */
  stockout(request: Obj): Scenario | undefined {
    const region = regionOf(request);
    const hit = firstMatch(this.regions.get(region)?.outOf, acceleratorsOf(request));
    if (hit === undefined) return undefined;
    return {
      name: `stockout:${region}`,
      createsJob: true,
      getFailures: 0,
      steps: [
        { tick: 0, state: 'JOB_STATE_QUEUED' },
        { tick: 1, state: 'JOB_STATE_PENDING' },
        {
          tick: 2,
          state: 'JOB_STATE_FAILED',
          error: {
            code: status.RESOURCE_EXHAUSTED,
            message: `Resources are insufficient in region: ${region}. Please try a different region. If you use K80, please consider using another accelerator type.`,
          },
        },
      ],
    };
  }
}

function regionOf(request: Obj): string {
  return String(request.parent ?? '').split('/')[3] ?? '';
}

/** Each pool's accelerator type, `''` for a pool without one. */
function acceleratorsOf(request: Obj): string[] {
  const pools = ((request.customJob as Obj)?.jobSpec as Obj)?.workerPoolSpecs;
  if (!Array.isArray(pools)) return [];
  return pools
    .map((p) => (p as Obj).machineSpec as Obj | undefined)
    .filter((m): m is Obj => m !== undefined)
    .map((m) => {
      const type = String(m.acceleratorType ?? '');
      return type === 'ACCELERATOR_TYPE_UNSPECIFIED' ? '' : type;
    });
}

function firstMatch(rule: string[] | undefined, accelerators: string[]): string | undefined {
  if (!rule || rule.length === 0) return undefined;
  if (rule.includes(ANY_MACHINE)) return accelerators.find(Boolean) ?? 'cpus';
  return accelerators.find((a) => a && rule.includes(a));
}

/** `NVIDIA_TESLA_T4` -> `nvidia_t4_gpus`, `NVIDIA_L4` -> `nvidia_l4_gpus`; CPU-only -> `cpus`. */
function quotaMetric(accelerator: string): string {
  if (accelerator === 'cpus') return 'cpus';
  const gpu = /^NVIDIA_(?:TESLA_)?(.+)$/.exec(accelerator);
  if (gpu) return `nvidia_${gpu[1].toLowerCase()}_gpus`;
  return accelerator.toLowerCase();
}
