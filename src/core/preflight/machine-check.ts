// Machine type against accelerator, per worker pool, from the tables in machines.ts.
import type { Finding, PreflightReport } from './findings.ts';
import {
  ATTACHABLE_GPU_FAMILIES,
  CPU_ONLY_FAMILIES,
  FIXED_GPU_MACHINES,
  NO_ACCELERATOR,
  type FixedGpuMachine,
} from './machines.ts';

export interface MachineSpecView {
  machineType?: string;
  acceleratorType?: string;
  acceleratorCount?: number;
}

const list = (items: string[]): string =>
  items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;

/** Where an accelerator can be had: `g2-standard-4 (1), g2-standard-24 (2), ...`. */
function machinesFor(accelerator: string, count?: number): string | undefined {
  const rows = FIXED_GPU_MACHINES.filter((m) => m.accelerator === accelerator);
  const exact = rows.filter((m) => m.count === count);
  if (exact.length > 0) return `${list(exact.map((m) => m.machineType))}`;
  if (rows.length > 0) return list(rows.map((m) => `${m.machineType} (${m.count})`));
  const family = ATTACHABLE_GPU_FAMILIES.find((f) => f.accelerators.includes(accelerator));
  return family ? `an ${family.name} machine (${family.prefix}*)` : undefined;
}

function fixedMachineProblems(
  machine: FixedGpuMachine,
  spec: MachineSpecView,
  at: (key: string) => string,
): Finding[] {
  const { machineType, accelerator, count } = machine;
  const type = spec.acceleratorType;
  const comes = `${machineType} comes with exactly ${count} ${accelerator}`;
  if (!type || type === NO_ACCELERATOR) {
    return [
      {
        check: 'machine',
        level: 'error',
        path: at('accelerator_type'),
        message: `${comes}: set accelerator_type: ${accelerator} and accelerator_count: ${count}`,
      },
    ];
  }
  if (type !== accelerator) {
    const elsewhere = machinesFor(type, spec.acceleratorCount);
    return [
      {
        check: 'machine',
        level: 'error',
        path: at('accelerator_type'),
        message:
          `${comes}, not ${type}: set accelerator_type: ${accelerator}` +
          (elsewhere ? `, or pick a machine type with ${type}: ${elsewhere}` : ''),
      },
    ];
  }
  if (spec.acceleratorCount !== count) {
    const sizes = FIXED_GPU_MACHINES.filter(
      (m) => m.accelerator === accelerator && m.count === spec.acceleratorCount,
    ).map((m) => m.machineType);
    return [
      {
        check: 'machine',
        level: 'error',
        path: at('accelerator_count'),
        message:
          `${comes}, not ${spec.acceleratorCount ?? 0}: set accelerator_count: ${count}` +
          (sizes.length > 0
            ? `, or use ${list(sizes)} for ${spec.acceleratorCount} ${accelerator}`
            : ''),
      },
    ];
  }
  return [];
}

/** The findings for one pool's machine spec; `at(key)` makes the config path of a key. */
export function machineProblems(spec: MachineSpecView, at: (key: string) => string): Finding[] {
  const machineType = spec.machineType ?? '';
  const type = spec.acceleratorType;
  const hasAccelerator = Boolean(type) && type !== NO_ACCELERATOR;
  const fixedRow = FIXED_GPU_MACHINES.find((m) => m.machineType === machineType);
  if (fixedRow) return fixedMachineProblems(fixedRow, spec, at);

  const family = ATTACHABLE_GPU_FAMILIES.find((f) => machineType.startsWith(f.prefix));
  if (family && hasAccelerator) {
    if (!family.accelerators.includes(type as string)) {
      const elsewhere = machinesFor(type as string, spec.acceleratorCount);
      return [
        {
          check: 'machine',
          level: 'error',
          path: at('accelerator_type'),
          message:
            `${family.name} machines take ${list(family.accelerators.slice())}, not ${type}` +
            (elsewhere ? `: ${type} comes with ${elsewhere}` : ''),
        },
      ];
    }
    if (!family.counts.includes(spec.acceleratorCount ?? 0)) {
      return [
        {
          check: 'machine',
          level: 'error',
          path: at('accelerator_count'),
          message: `${family.name} machines take ${type} in counts of ${list(family.counts.map(String))}, not ${spec.acceleratorCount ?? 0}`,
        },
      ];
    }
    return [];
  }

  const cpuOnly = CPU_ONLY_FAMILIES.find((f) => machineType.startsWith(f.prefix));
  if (cpuOnly && hasAccelerator) {
    const elsewhere = machinesFor(type as string, spec.acceleratorCount);
    return [
      {
        check: 'machine',
        level: 'error',
        path: at('accelerator_type'),
        message:
          `${cpuOnly.name} machines take no accelerator, so ${machineType} cannot have ${type}` +
          (elsewhere ? `: ${type} comes with ${elsewhere}` : ''),
      },
    ];
  }
  return [];
}

/** Every worker pool's machine spec; `{}` placeholder pools have none. */
export function checkMachines(
  pools: Array<MachineSpecView | undefined>,
  poolPath: (index: number) => string,
): PreflightReport {
  const findings: Finding[] = [];
  const passed: string[] = [];
  pools.forEach((spec, index) => {
    if (!spec?.machineType) return;
    const found = machineProblems(spec, (key) => `${poolPath(index)}.machine_spec.${key}`);
    findings.push(...found);
    if (found.length === 0) {
      const gpu =
        spec.acceleratorType && spec.acceleratorType !== NO_ACCELERATOR
          ? ` with ${spec.acceleratorCount} ${spec.acceleratorType}`
          : '';
      passed.push(`pool ${index}: ${spec.machineType}${gpu}`);
    }
  });
  return { findings, passed, skipped: [] };
}
