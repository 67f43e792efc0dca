// spec.worker_pool_specs: each pool checked against the v1 WorkerPoolSpec proto, then the
// rules the protos cannot express, then the run's environment merged into every task.
import type { JsonObject } from '../request.ts';
import { convertMessage, isPlainObject } from './convert.ts';
import type { PathProblem } from './convert.ts';
import { messageSchema, V1 } from './schema.ts';
import { joinPath } from './source.ts';
import { cutShort, quoted } from '../quote.ts';

export const MAX_ENV_PER_CONTAINER = 100;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TASKS = [
  ['containerSpec', 'container_spec'],
  ['pythonPackageSpec', 'python_package_spec'],
] as const;

/** Keys of `value` that `type` does not have (already reported as unknown keys). */
function unknownKeys(type: string, value: unknown): string[] {
  if (!isPlainObject(value)) return [];
  const { fields } = messageSchema(`${V1}${type}`);
  return Object.keys(value).filter((key) => !Object.hasOwn(fields, key));
}

/** `misspelt`: the pool or its machine_spec has an unknown key, so "required" would be noise. */
function checkAccelerators(
  pool: JsonObject,
  path: string,
  misspelt: boolean,
  out: PathProblem[],
): void {
  const machine = pool.machineSpec as JsonObject | undefined;
  if (
    !misspelt &&
    (!machine || typeof machine.machineType !== 'string' || machine.machineType === '')
  ) {
    out.push({
      path: joinPath(joinPath(path, 'machine_spec'), 'machine_type'),
      message: 'required: the machine type, e.g. n1-standard-4',
    });
  }
  if (!machine) return;
  const type = machine.acceleratorType as string | undefined;
  const count = (machine.acceleratorCount as number | undefined) ?? 0;
  const hasType = type !== undefined && type !== 'ACCELERATOR_TYPE_UNSPECIFIED';
  const at = joinPath(path, 'machine_spec');
  // An accelerator_type that was not a valid name is reported already; no pairing advice then.
  if (out.some((p) => p.path === joinPath(at, 'accelerator_type'))) return;
  if (hasType && count <= 0) {
    out.push({
      path: joinPath(at, 'accelerator_count'),
      message: `accelerator_type ${type} needs accelerator_count of 1 or more`,
    });
  }
  if (!hasType && count > 0) {
    out.push({
      path: joinPath(at, 'accelerator_type'),
      message: `accelerator_count ${count} needs an accelerator_type (e.g. NVIDIA_TESLA_T4)`,
    });
  }
}

/** The fields Vertex requires of a task; reported only when the key is absent or empty. */
const TASK_REQUIRED: Record<string, [string, string][]> = {
  container_spec: [['image_uri', 'the image to run, e.g. ${image_uri}']],
  python_package_spec: [
    ['executor_image_uri', 'the prebuilt training image the package runs in'],
    ['package_uris', 'the gs:// paths of the Python package(s)'],
    ['python_module', 'the module to run, e.g. trainer.task'],
  ],
};

function checkTaskRequired(
  rawPool: Record<string, unknown>,
  snake: string,
  path: string,
  out: PathProblem[],
): void {
  const task = rawPool[snake];
  if (!isPlainObject(task)) return;
  for (const [key, what] of TASK_REQUIRED[snake] ?? []) {
    const value = task[key];
    if (
      value === undefined ||
      value === null ||
      value === '' ||
      (Array.isArray(value) && value.length === 0)
    ) {
      out.push({ path: joinPath(path, key), message: `required: ${what}` });
    }
  }
}

/**
 * Checks the task's own env (names, duplicates) and merges the run's environment into it:
 * the config's entries win over `defaults` (W&B wiring); `overrides` (the `env` input) win
 * over both. Never two entries with one name.
 */
function mergeEnv(task: JsonObject, path: string, env: PoolEnvironment, out: PathProblem[]): void {
  const envPath = joinPath(path, 'env');
  const own = (task.env as JsonObject[] | undefined) ?? [];
  const merged = new Map<string, string>();
  own.forEach((entry, i) => {
    const name = entry.name;
    const at = joinPath(joinPath(envPath, i), 'name');
    if (typeof name !== 'string' || !ENV_NAME.test(name)) {
      out.push({
        path: at,
        message: `environment variable name ${quoted(String(name ?? ''))} must be a C identifier ([A-Za-z_][A-Za-z0-9_]*)`,
      });
    } else if (merged.has(name)) {
      out.push({ path: at, message: `${cutShort(name)} is set twice in this pool` });
    } else {
      merged.set(name, String(entry.value ?? ''));
    }
  });
  for (const [name, value] of Object.entries(env.defaults))
    if (!merged.has(name)) merged.set(name, value);
  for (const [name, value] of Object.entries(env.overrides)) merged.set(name, value);
  if (merged.size > MAX_ENV_PER_CONTAINER) {
    out.push({
      path: envPath,
      message: `${merged.size} environment variables, but Vertex allows at most ${MAX_ENV_PER_CONTAINER} per container`,
    });
  }
  task.env = [...merged].map(([name, value]) => ({ name, value }));
}

/** WANDB_DOCKER: the image the task runs (its container, or the package's executor). */
function withImage(env: PoolEnvironment, task: unknown): PoolEnvironment {
  const { imageUri, executorImageUri } = task as JsonObject;
  const image = imageUri ?? executorImageUri;
  if (typeof image !== 'string' || !image) return env;
  return { ...env, defaults: { ...env.defaults, WANDB_DOCKER: image } };
}

export interface PoolEnvironment {
  /** Injected below the config's own entries (W&B wiring). */
  defaults: Record<string, string>;
  /** The `env` input: above the config's own entries. */
  overrides: Record<string, string>;
}

/**
 * The pools in proto3 JSON; `{}` placeholders stay `{}`. `command` (W&B Launch's entrypoint)
 * replaces every container's command, as W&B's Vertex runner does.
 */
export function compilePools(
  value: unknown,
  path: string,
  env: PoolEnvironment,
  out: PathProblem[],
  command?: string[],
): JsonObject[] {
  if (!Array.isArray(value) || value.length === 0) {
    out.push({
      path,
      message:
        'required: a list of at least one worker pool (machine_spec, replica_count, container_spec)',
    });
    return [];
  }
  const pools: JsonObject[] = [];
  value.forEach((raw, index) => {
    const at = joinPath(path, index);
    if (isPlainObject(raw) && Object.keys(raw).length === 0) {
      if (index === 0)
        out.push({
          path: at,
          message: 'the first worker pool (the chief) cannot be an empty placeholder',
        });
      pools.push({});
      return;
    }
    const pool = convertMessage(`${V1}WorkerPoolSpec`, raw, at, out);
    if (!pool) return;
    // A misspelt key (machineSpec, containerSpec, container_specs) is reported as that key;
    // any other problem in the pool does not hide a missing machine type or task.
    const misspelt = unknownKeys('WorkerPoolSpec', raw).length > 0;
    const machineMisspelt =
      unknownKeys('MachineSpec', (raw as Record<string, unknown>).machine_spec).length > 0;
    checkAccelerators(pool, at, misspelt || machineMisspelt, out);
    const tasks = TASKS.filter(([json]) => pool[json] !== undefined);
    const taskGiven = TASKS.some(([, snake]) => (raw as Record<string, unknown>)[snake] != null);
    if (tasks.length === 0 && !misspelt && !taskGiven) {
      out.push({
        path: at,
        message: 'a worker pool needs a container_spec (image_uri) or a python_package_spec',
      });
    }
    for (const [json, snake] of tasks) {
      checkTaskRequired(raw as Record<string, unknown>, snake, joinPath(at, snake), out);
      mergeEnv(pool[json] as JsonObject, joinPath(at, snake), withImage(env, pool[json]), out);
      if (command && json === 'containerSpec') (pool[json] as JsonObject).command = command;
    }
    pools.push(pool);
  });
  return pools;
}
