// The checks Vertex AI makes on CreateCustomJob before accepting it, each answered with
// INVALID_ARGUMENT and a message naming the field. Requests arrive as @grpc/proto-loader
// decodes them: camelCase fields, enums by name, int64 as strings, absent defaults.

type Obj = Record<string, unknown>;

const PARENT = /^projects\/[^/]+\/locations\/[^/]+$/;
const JOB_NAME = /^projects\/[^/]+\/locations\/[^/]+\/customJobs\/[^/]+$/;
const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;

function obj(v: unknown): Obj | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

export function parentProblem(parent: unknown): string | undefined {
  if (typeof parent !== 'string' || !PARENT.test(parent)) {
    return `Invalid parent "${String(parent ?? '')}": expected projects/{project}/locations/{location}.`;
  }
  return undefined;
}

export function jobNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || !JOB_NAME.test(name)) {
    return (
      `Invalid resource name "${String(name ?? '')}": ` +
      'expected projects/{project}/locations/{location}/customJobs/{custom_job}.'
    );
  }
  return undefined;
}

export function labelProblems(labels: unknown): string[] {
  const entries = Object.entries(obj(labels) ?? {});
  const problems: string[] = [];
  if (entries.length > 64) problems.push(`At most 64 labels are allowed; got ${entries.length}.`);
  for (const [key, value] of entries) {
    if (!LABEL_KEY.test(key)) {
      problems.push(
        `Label key "${key}" is invalid: up to 63 lowercase letters, digits, "_" or "-", starting with a letter.`,
      );
    }
    if (typeof value !== 'string' || !LABEL_VALUE.test(value)) {
      problems.push(
        `Label value "${String(value)}" of "${key}" is invalid: up to 63 lowercase letters, digits, "_" or "-".`,
      );
    }
  }
  return problems;
}

function poolProblems(pool: Obj, i: number): string[] {
  const where = `custom_job.job_spec.worker_pool_specs[${i}]`;
  const isPlaceholder = Object.keys(pool).length === 0;
  if (isPlaceholder) {
    return i === 0 ? [`${where} is required: the first worker pool cannot be empty.`] : [];
  }
  const problems: string[] = [];
  const machine = obj(pool.machineSpec);
  if (!machine || !machine.machineType)
    problems.push(`${where}.machine_spec.machine_type is required.`);
  if (machine) {
    const hasType =
      machine.acceleratorType !== undefined &&
      machine.acceleratorType !== 'ACCELERATOR_TYPE_UNSPECIFIED';
    const hasCount = machine.acceleratorCount !== undefined && Number(machine.acceleratorCount) > 0;
    if (hasType !== hasCount) {
      problems.push(
        `${where}.machine_spec: accelerator_type and accelerator_count must be set together.`,
      );
    }
  }
  const container = obj(pool.containerSpec);
  const python = obj(pool.pythonPackageSpec);
  if (!container && !python) {
    problems.push(`${where}: one of container_spec or python_package_spec is required.`);
  }
  if (container && !container.imageUri)
    problems.push(`${where}.container_spec.image_uri is required.`);
  if (python) {
    if (!python.executorImageUri)
      problems.push(`${where}.python_package_spec.executor_image_uri is required.`);
    if (!Array.isArray(python.packageUris) || python.packageUris.length === 0) {
      problems.push(`${where}.python_package_spec.package_uris is required.`);
    }
    if (!python.pythonModule)
      problems.push(`${where}.python_package_spec.python_module is required.`);
  }
  if (i === 0 && pool.replicaCount !== undefined && String(pool.replicaCount) !== '1') {
    problems.push(`${where}.replica_count must be 1 for the primary worker pool.`);
  }
  return problems;
}

/** All problems with a CreateCustomJobRequest; empty when Vertex would accept it. */
export function createRequestProblems(request: Obj): string[] {
  const parent = parentProblem(request.parent);
  if (parent) return [parent];
  const job = obj(request.customJob);
  if (!job) return ['custom_job is required.'];
  const problems: string[] = [];
  const displayName = job.displayName;
  if (typeof displayName !== 'string' || displayName.length === 0) {
    problems.push('custom_job.display_name is required.');
  } else if ([...displayName].length > 128) {
    problems.push(
      `custom_job.display_name is longer than 128 characters (${[...displayName].length}).`,
    );
  }
  const pools = obj(job.jobSpec)?.workerPoolSpecs;
  if (!Array.isArray(pools) || pools.length === 0) {
    problems.push('custom_job.job_spec.worker_pool_specs must contain at least one worker pool.');
  } else {
    pools.forEach((pool, i) => problems.push(...poolProblems(obj(pool) ?? {}, i)));
  }
  problems.push(...labelProblems(job.labels));
  return problems;
}
