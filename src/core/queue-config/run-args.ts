// The `run` section: CustomJob.run(...) arguments mapped onto jobSpec, with the SDK's
// semantics (a scheduling block only when something in it is set; falsy values unset).
import type { JsonObject } from '../request.ts';
import { describeValue, toDuration } from './convert.ts';
import type { PathProblem } from './convert.ts';
import { enumValues, V1 } from './schema.ts';

export interface CompiledRun {
  jobSpec: JsonObject;
  sync?: boolean;
  warnings: string[];
}

type Run = Record<string, unknown>;

const isString = (v: unknown): v is string => typeof v === 'string';
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

/** Reads the `run` keys, each wrong type a problem at its path (then read as unset). */
function runReader(run: Run, out: PathProblem[]) {
  const path = (key: string) => `run.${key}`;
  const expect = <T>(key: string, check: (v: unknown) => v is T, what: string): T | undefined => {
    const value = run[key];
    if (value === undefined || value === null) return undefined;
    if (check(value)) return value;
    out.push({ path: path(key), message: `expected ${what}, got ${describeValue(value)}` });
    return undefined;
  };
  // `zero` says what 0 means: unset (the SDK's falsy rule), or a value of its own ("0s").
  const seconds = (key: string, zero: 'unset' | 'keep' = 'unset'): string | undefined => {
    const value = run[key];
    if (value === undefined || value === null) return undefined;
    const duration = toDuration(value);
    if (duration === undefined)
      out.push({
        path: path(key),
        message: `expected seconds (e.g. 3600), got ${describeValue(value)}`,
      });
    return duration === '0s' && zero === 'unset' ? undefined : duration;
  };
  const problem = (key: string, message: string) => out.push({ path: path(key), message });
  return { run, expect, seconds, problem };
}

type RunReader = ReturnType<typeof runReader>;

/** Identity, network and access: who the job runs as, where, and who may look in. */
function compileAccess({ expect }: RunReader, jobSpec: JsonObject): void {
  const serviceAccount = expect('service_account', isString, 'a service account email');
  if (serviceAccount) jobSpec.serviceAccount = serviceAccount;
  const network = expect(
    'network',
    isString,
    'a network name (projects/NUMBER/global/networks/NAME)',
  );
  if (network) jobSpec.network = network;
  const ranges = expect('reserved_ip_ranges', isStringList, 'a list of range names');
  if (ranges?.length) jobSpec.reservedIpRanges = ranges;
  const persistent = expect('persistent_resource_id', isString, 'a persistent resource id');
  if (persistent) jobSpec.persistentResourceId = persistent;
  if (expect('enable_web_access', isBool, 'true or false')) jobSpec.enableWebAccess = true;
  if (expect('enable_dashboard_access', isBool, 'true or false'))
    jobSpec.enableDashboardAccess = true;
}

/** Tensorboard, or a Vertex AI experiment (and its run) the job reports to. */
function compileExperiment(
  { expect, problem }: RunReader,
  target: { project: string; region: string },
  jobSpec: JsonObject,
): void {
  const tensorboard = expect('tensorboard', isString, 'a Tensorboard resource name');
  const experiment = expect('experiment', isString, 'an experiment name');
  const experimentRun = expect('experiment_run', isString, 'an experiment run name');
  if (tensorboard && experiment) {
    problem(
      'tensorboard',
      'tensorboard and experiment cannot both be set: an experiment carries its own Tensorboard',
    );
  }
  if (experimentRun && !experiment) problem('experiment_run', 'experiment_run needs experiment');
  if (tensorboard) jobSpec.tensorboard = tensorboard;
  // Short names become the metadata contexts the SDK would resolve them to.
  const context = (id: string) =>
    id.includes('/')
      ? id
      : `projects/${target.project}/locations/${target.region}/metadataStores/default/contexts/${id}`;
  if (experiment) jobSpec.experiment = context(experiment);
  if (experiment && experimentRun) {
    jobSpec.experimentRun = experimentRun.includes('/')
      ? experimentRun
      : context(`${experiment}-${experimentRun}`);
  }
}

/** jobSpec.scheduling, or undefined when nothing in it is set. */
function compileScheduling(
  { run, expect, seconds, problem }: RunReader,
  warnings: string[],
): JsonObject | undefined {
  const scheduling: JsonObject = {};
  const timeout = seconds('timeout');
  if (timeout) scheduling.timeout = timeout;
  let restart = expect('restart_job_on_worker_restart', isBool, 'true or false');
  const disableRetries = expect('disable_retries', isBool, 'true or false');
  if (disableRetries) {
    if (restart)
      warnings.push(
        'run.disable_retries is true, so run.restart_job_on_worker_restart is set to false',
      );
    restart = false;
    scheduling.disableRetries = true;
  }
  if (restart) scheduling.restartJobOnWorkerRestart = true;
  const strategy = run.scheduling_strategy;
  if (strategy !== undefined && strategy !== null) {
    const names = enumValues(`${V1}Scheduling.Strategy`);
    if (typeof strategy === 'string' && names.includes(strategy)) {
      if (strategy !== 'STRATEGY_UNSPECIFIED') scheduling.strategy = strategy;
    } else {
      problem(
        'scheduling_strategy',
        `${describeValue(strategy)} is not one of ${names.join(', ')}`,
      );
    }
  }
  // The API documents 0 as "wait for ever"; left out, it means the 24 h default. The Python
  // SDK drops a 0 (a truthiness test), so a queue moved from W&B Launch changes meaning here.
  const maxWait = seconds('max_wait_duration', 'keep');
  if (maxWait) scheduling.maxWaitDuration = maxWait;
  return Object.keys(scheduling).length > 0 ? scheduling : undefined;
}

export function compileRun(
  run: Run,
  target: { project: string; region: string },
  out: PathProblem[],
): CompiledRun {
  const jobSpec: JsonObject = {};
  const warnings: string[] = [];
  const reader = runReader(run, out);
  compileAccess(reader, jobSpec);
  compileExperiment(reader, target, jobSpec);
  const scheduling = compileScheduling(reader, warnings);
  if (scheduling) jobSpec.scheduling = scheduling;

  reader.expect('create_request_timeout', (v): v is number => typeof v === 'number', 'seconds');
  if (run.create_request_timeout !== undefined) {
    warnings.push(
      'run.create_request_timeout is not applied: the action retries the create call itself, without creating a second job',
    );
  }
  return { jobSpec, sync: reader.expect('sync', isBool, 'true or false'), warnings };
}
