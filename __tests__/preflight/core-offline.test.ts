// The offline half of preflight, as pure functions: machine against accelerator from the
// tables, the region list, and registries against the job's region.
import { describe, expect, test } from '@jest/globals';
import {
  checkMachines,
  checkRegion,
  checkRegistries,
  machineProblems,
  offlineChecks,
} from '../../src/core/preflight/index.ts';
import {
  ATTACHABLE_GPU_FAMILIES,
  CPU_ONLY_FAMILIES,
  FIXED_GPU_MACHINES,
} from '../../src/core/preflight/machines.ts';
import { VERTEX_TRAINING_REGIONS } from '../../src/core/preflight/regions.ts';
import type { CreateCustomJobRequestJson } from '../../src/core/request.ts';

const at = (key: string) => `spec.worker_pool_specs[0].machine_spec.${key}`;

describe('the tables', () => {
  test('every row names an https source', () => {
    const rows = [
      ...FIXED_GPU_MACHINES,
      ...ATTACHABLE_GPU_FAMILIES,
      ...CPU_ONLY_FAMILIES,
      ...VERTEX_TRAINING_REGIONS,
    ];
    for (const row of rows) expect(row.source).toMatch(/^https:\/\/cloud\.google\.com\//);
  });

  test('no machine type appears twice, and every GPU count matches its name', () => {
    const names = FIXED_GPU_MACHINES.map((m) => m.machineType);
    expect(new Set(names).size).toBe(names.length);
    for (const m of FIXED_GPU_MACHINES) {
      // a2-highgpu-8g: 8 GPUs; g2-standard-N is the exception (vCPUs in the name).
      const g = /-(\d+)g$/.exec(m.machineType);
      if (g) expect(m.count).toBe(Number(g[1]));
    }
  });

  test('A2, A3, A4 and G2 are all there', () => {
    for (const family of ['a2-', 'a3-', 'a4-', 'g2-'])
      expect(FIXED_GPU_MACHINES.some((m) => m.machineType.startsWith(family))).toBe(true);
  });
});

describe('machineProblems', () => {
  test.each([
    ['a2-highgpu-1g', 'NVIDIA_TESLA_A100', 1],
    ['a2-megagpu-16g', 'NVIDIA_TESLA_A100', 16],
    ['a2-ultragpu-8g', 'NVIDIA_A100_80GB', 8],
    ['a3-highgpu-8g', 'NVIDIA_H100_80GB', 8],
    ['a3-megagpu-8g', 'NVIDIA_H100_MEGA_80GB', 8],
    ['a4-highgpu-8g', 'NVIDIA_B200', 8],
    ['g2-standard-4', 'NVIDIA_L4', 1],
    ['g2-standard-24', 'NVIDIA_L4', 2],
    ['g2-standard-96', 'NVIDIA_L4', 8],
    ['n1-standard-8', 'NVIDIA_TESLA_T4', 1],
    ['n1-highmem-16', 'NVIDIA_TESLA_V100', 8],
    ['n1-standard-4', 'NVIDIA_TESLA_P100', 4],
    ['n1-standard-4', 'NVIDIA_TESLA_P4', 2],
    ['n1-standard-4', 'ACCELERATOR_TYPE_UNSPECIFIED', 0],
    ['n2-standard-8', undefined, undefined],
    ['e2-standard-4', 'ACCELERATOR_TYPE_UNSPECIFIED', 0],
    // Families not in the tables are left to Vertex.
    ['ct5lp-hightpu-4t', 'TPU_V5_LITEPOD', 4],
    ['z9-future-1g', 'NVIDIA_FUTURE', 3],
  ])('%s with %s x %s agrees', (machineType, acceleratorType, acceleratorCount) => {
    expect(machineProblems({ machineType, acceleratorType, acceleratorCount }, at)).toEqual([]);
  });

  test('a fixed machine with another GPU: error on accelerator_type, naming both fixes', () => {
    const [f] = machineProblems(
      { machineType: 'a2-highgpu-1g', acceleratorType: 'NVIDIA_L4', acceleratorCount: 1 },
      at,
    );
    expect(f.level).toBe('error');
    expect(f.path).toBe(at('accelerator_type'));
    expect(f.message).toContain('a2-highgpu-1g comes with exactly 1 NVIDIA_TESLA_A100');
    expect(f.message).toContain('set accelerator_type: NVIDIA_TESLA_A100');
    expect(f.message).toContain('g2-standard-4');
  });

  test('a fixed machine with the wrong count: error on accelerator_count, naming the right size', () => {
    const [f] = machineProblems(
      { machineType: 'a2-highgpu-1g', acceleratorType: 'NVIDIA_TESLA_A100', acceleratorCount: 4 },
      at,
    );
    expect(f.path).toBe(at('accelerator_count'));
    expect(f.message).toContain('set accelerator_count: 1');
    expect(f.message).toContain('a2-highgpu-4g for 4');
  });

  test('a fixed machine without its GPU: error saying what to set', () => {
    const [f] = machineProblems({ machineType: 'g2-standard-8' }, at);
    expect(f.path).toBe(at('accelerator_type'));
    expect(f.message).toContain('set accelerator_type: NVIDIA_L4 and accelerator_count: 1');
  });

  test('N1 with a GPU it does not take: error naming the machine that has it', () => {
    const [f] = machineProblems(
      { machineType: 'n1-standard-8', acceleratorType: 'NVIDIA_TESLA_A100', acceleratorCount: 1 },
      at,
    );
    expect(f.path).toBe(at('accelerator_type'));
    expect(f.message).toContain('N1 machines take NVIDIA_TESLA_T4');
    expect(f.message).toContain('a2-highgpu-1g');
  });

  test.each([3, 16])('N1 with %i GPUs: error on accelerator_count', (count) => {
    const [f] = machineProblems(
      { machineType: 'n1-standard-8', acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: count },
      at,
    );
    expect(f.path).toBe(at('accelerator_count'));
    expect(f.message).toContain('1, 2, 4 or 8');
  });

  test('a CPU-only family with a GPU: error', () => {
    const [f] = machineProblems(
      { machineType: 'n2-standard-8', acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 1 },
      at,
    );
    expect(f.message).toContain('N2 machines take no accelerator');
    expect(f.message).toContain('an N1 machine');
  });

  test('checkMachines: each pool at its own index, placeholders skipped', () => {
    const report = checkMachines(
      [
        { machineType: 'n1-standard-4' },
        undefined,
        { machineType: 'a3-highgpu-8g', acceleratorType: 'NVIDIA_H100_80GB', acceleratorCount: 4 },
      ],
      (i) => `spec.worker_pool_specs[${i}]`,
    );
    expect(report.findings.map((f) => f.path)).toEqual([
      'spec.worker_pool_specs[2].machine_spec.accelerator_count',
    ]);
    expect(report.passed).toEqual(['pool 0: n1-standard-4']);
  });
});

describe('checkRegion', () => {
  test('a training region passes', () => {
    expect(checkRegion('europe-west4', 'region')).toMatchObject({ findings: [] });
  });

  test('an unknown region is a warning, located where it was given', () => {
    const [f] = checkRegion('mars-north1', 'spec.location').findings;
    expect(f).toMatchObject({ level: 'warning', path: 'spec.location', check: 'region' });
    expect(f.message).toContain('new regions appear');
  });
});

describe('checkRegistries', () => {
  test('a registry in another region: one warning naming the cross-region pull', () => {
    const report = checkRegistries(
      [
        { path: 'registry', value: 'europe-west4-docker.pkg.dev/p-123456/r/img', isRegistry: true },
        {
          path: 'spec.worker_pool_specs[0].container_spec.image_uri',
          value: 'europe-west4-docker.pkg.dev/p-123456/r/img:latest',
          isRegistry: false,
        },
      ],
      'us-central1',
    );
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ level: 'warning', path: 'registry' });
    expect(report.findings[0].message).toContain('across regions');
  });

  test('same region, a multi-region on the same continent, and hosts without a location pass', () => {
    const report = checkRegistries(
      [
        { path: 'image', value: 'us-central1-docker.pkg.dev/p-123456/r/a:1', isRegistry: false },
        { path: 'x', value: 'us-docker.pkg.dev/p-123456/r/b:1', isRegistry: false },
        { path: 'y', value: '127.0.0.1:5000/team/c:1', isRegistry: false },
        { path: 'z', value: 'python:3.12', isRegistry: false },
      ],
      'us-central1',
    );
    expect(report.findings).toEqual([]);
    expect(report.passed).toHaveLength(2);
  });
});

test('offlineChecks: pools, region and images from a compiled request', () => {
  const request: CreateCustomJobRequestJson = {
    parent: 'projects/p/locations/us-central1',
    customJob: {
      displayName: 'x',
      labels: {},
      jobSpec: {
        workerPoolSpecs: [
          {
            machineSpec: {
              machineType: 'g2-standard-4',
              acceleratorType: 'NVIDIA_TESLA_T4',
              acceleratorCount: 1,
            },
            replicaCount: '1',
            containerSpec: { imageUri: 'asia-docker.pkg.dev/p-123456/r/img:1' },
          },
        ],
      },
    },
  };
  const report = offlineChecks({ request, region: 'us-central1', regionPath: 'region' });
  expect(report.findings.map((f) => [f.check, f.level, f.path])).toEqual([
    ['machine', 'error', 'spec.worker_pool_specs[0].machine_spec.accelerator_type'],
    ['registry', 'warning', 'spec.worker_pool_specs[0].container_spec.image_uri'],
  ]);
});
