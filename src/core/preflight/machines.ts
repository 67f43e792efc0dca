// Which accelerators each machine type takes, as data. Every row names where it comes from.
// Machine types in none of these tables are not checked: Vertex judges them itself.

/** Accelerator-optimized machine families (A2, A3, A4, G2). */
const ACCELERATOR_OPTIMIZED =
  'https://cloud.google.com/compute/docs/accelerator-optimized-machines';
/** Vertex AI's own table of machine types and the GPUs (type and count) each takes for training. */
const VERTEX_TRAINING_GPUS =
  'https://cloud.google.com/vertex-ai/docs/training/configure-compute#gpu-compatibility-table';
const GENERAL_PURPOSE = 'https://cloud.google.com/compute/docs/general-purpose-machines';
const COMPUTE_OPTIMIZED = 'https://cloud.google.com/compute/docs/compute-optimized-machines';
const MEMORY_OPTIMIZED = 'https://cloud.google.com/compute/docs/memory-optimized-machines';

/** A machine type that comes with a fixed set of GPUs: exactly this type, exactly this many. */
export interface FixedGpuMachine {
  machineType: string;
  accelerator: string;
  count: number;
  source: string;
}

const fixed = (
  machineType: string,
  accelerator: string,
  count: number,
  source = ACCELERATOR_OPTIMIZED,
): FixedGpuMachine => ({ machineType, accelerator, count, source });

export const FIXED_GPU_MACHINES: readonly FixedGpuMachine[] = [
  // A2 Standard: NVIDIA A100 40GB.
  fixed('a2-highgpu-1g', 'NVIDIA_TESLA_A100', 1),
  fixed('a2-highgpu-2g', 'NVIDIA_TESLA_A100', 2),
  fixed('a2-highgpu-4g', 'NVIDIA_TESLA_A100', 4),
  fixed('a2-highgpu-8g', 'NVIDIA_TESLA_A100', 8),
  fixed('a2-megagpu-16g', 'NVIDIA_TESLA_A100', 16),
  // A2 Ultra: NVIDIA A100 80GB.
  fixed('a2-ultragpu-1g', 'NVIDIA_A100_80GB', 1),
  fixed('a2-ultragpu-2g', 'NVIDIA_A100_80GB', 2),
  fixed('a2-ultragpu-4g', 'NVIDIA_A100_80GB', 4),
  fixed('a2-ultragpu-8g', 'NVIDIA_A100_80GB', 8),
  // A3 High: NVIDIA H100 80GB; A3 Mega: H100 Mega; A3 Ultra: H200.
  fixed('a3-highgpu-1g', 'NVIDIA_H100_80GB', 1),
  fixed('a3-highgpu-2g', 'NVIDIA_H100_80GB', 2),
  fixed('a3-highgpu-4g', 'NVIDIA_H100_80GB', 4),
  fixed('a3-highgpu-8g', 'NVIDIA_H100_80GB', 8),
  fixed('a3-megagpu-8g', 'NVIDIA_H100_MEGA_80GB', 8),
  fixed('a3-ultragpu-8g', 'NVIDIA_H200_141GB', 8),
  // A4: NVIDIA B200; A4X: NVIDIA GB200 (4 per machine).
  fixed('a4-highgpu-8g', 'NVIDIA_B200', 8),
  fixed('a4x-highgpu-4g', 'NVIDIA_GB200', 4),
  // G2: NVIDIA L4.
  fixed('g2-standard-4', 'NVIDIA_L4', 1),
  fixed('g2-standard-8', 'NVIDIA_L4', 1),
  fixed('g2-standard-12', 'NVIDIA_L4', 1),
  fixed('g2-standard-16', 'NVIDIA_L4', 1),
  fixed('g2-standard-24', 'NVIDIA_L4', 2),
  fixed('g2-standard-32', 'NVIDIA_L4', 1),
  fixed('g2-standard-48', 'NVIDIA_L4', 4),
  fixed('g2-standard-96', 'NVIDIA_L4', 8),
];

/** A machine family that takes a choice of GPUs, attached in the listed counts. */
export interface AttachableGpuFamily {
  /** Machine type prefix, e.g. `n1-`. */
  prefix: string;
  name: string;
  accelerators: readonly string[];
  counts: readonly number[];
  source: string;
}

export const ATTACHABLE_GPU_FAMILIES: readonly AttachableGpuFamily[] = [
  {
    // Compute Engine narrows the counts further by GPU model and vCPUs; Vertex says so itself.
    prefix: 'n1-',
    name: 'N1',
    accelerators: ['NVIDIA_TESLA_T4', 'NVIDIA_TESLA_V100', 'NVIDIA_TESLA_P100', 'NVIDIA_TESLA_P4'],
    counts: [1, 2, 4, 8],
    source: VERTEX_TRAINING_GPUS,
  },
];

/** A machine family that takes no accelerator at all. */
export interface CpuOnlyFamily {
  prefix: string;
  name: string;
  source: string;
}

export const CPU_ONLY_FAMILIES: readonly CpuOnlyFamily[] = [
  { prefix: 'e2-', name: 'E2', source: GENERAL_PURPOSE },
  { prefix: 'n2-', name: 'N2', source: GENERAL_PURPOSE },
  { prefix: 'n2d-', name: 'N2D', source: GENERAL_PURPOSE },
  { prefix: 'n4-', name: 'N4', source: GENERAL_PURPOSE },
  { prefix: 'c3-', name: 'C3', source: GENERAL_PURPOSE },
  { prefix: 'c3d-', name: 'C3D', source: GENERAL_PURPOSE },
  { prefix: 'c4-', name: 'C4', source: GENERAL_PURPOSE },
  { prefix: 'c2-', name: 'C2', source: COMPUTE_OPTIMIZED },
  { prefix: 'c2d-', name: 'C2D', source: COMPUTE_OPTIMIZED },
  { prefix: 'm1-', name: 'M1', source: MEMORY_OPTIMIZED },
  { prefix: 'm2-', name: 'M2', source: MEMORY_OPTIMIZED },
  { prefix: 'm3-', name: 'M3', source: MEMORY_OPTIMIZED },
];

export const NO_ACCELERATOR = 'ACCELERATOR_TYPE_UNSPECIFIED';
