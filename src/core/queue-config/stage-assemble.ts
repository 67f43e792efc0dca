// Stage 4: the CreateCustomJobRequest's CustomJob from the resolved values, each value checked
// as it is mapped onto its v1 field. Problems are collected, never thrown, so that one run of
// the compiler reports all of them.
import { checkLabels } from '../labels.ts';
import type { CreateCustomJobRequestJson, JsonObject } from '../request.ts';
import { wandbEnvironment } from '../wandb.ts';
import { isReservedLabel, reservedLabelMessage, waitLabel } from '../launch-identity.ts';
import type { CompileOptions } from './types.ts';
import { describeValue, isPlainObject } from './convert.ts';
import type { PathProblem } from './convert.ts';
import { compilePools } from './pools.ts';
import { compileRun } from './run-args.ts';
import type { ResolvedQueueConfig } from './stage-resolve.ts';
import { defaultBaseOutputDir, MAX_DISPLAY_NAME } from './target.ts';
import { quoted } from '../quote.ts';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_LABELS = 64;

export interface AssembledJob {
  customJob: CreateCustomJobRequestJson['customJob'];
  /** The worker pools as sent (jobSpec.workerPoolSpecs). */
  pools: JsonObject[];
  /** `run.sync`, when the config sets it. */
  sync?: boolean;
  /** Warnings of the `run` section's mapping. */
  runWarnings: string[];
}

export function assembleStage(
  resolved: ResolvedQueueConfig,
  opts: CompileOptions,
  provenance: Record<string, string>,
  out: PathProblem[],
): AssembledJob {
  const { spec } = resolved;
  checkEnvNames(opts.env, out);
  const launch = opts.wandbLaunch;
  const pools = compilePools(
    spec.worker_pool_specs,
    'spec.worker_pool_specs',
    {
      defaults: { ...wandbEnvironment(opts.wandb, opts.wandbRunId), ...launch?.env },
      overrides: opts.env,
    },
    out,
    launch?.command,
  );
  const displayName = assembleDisplayName(resolved, opts.displayName, out);
  const jobSpec: JsonObject = { workerPoolSpecs: pools };
  jobSpec.baseOutputDirectory = { outputUriPrefix: assembleOutputPrefix(spec, opts.now, out) };
  const persistent = assemblePersistentResource(spec, out);
  if (persistent) jobSpec.persistentResourceId = persistent;
  const compiledRun = compileRun(resolved.run, resolved.target, out);
  Object.assign(jobSpec, compiledRun.jobSpec);
  // How long the step follows the job (the input, else run.sync): for reconcile.
  const follow = opts.follow
    ? waitLabel(opts.follow.wait ?? compiledRun.sync ?? true, opts.follow.timeoutSeconds)
    : {};

  const customJob: CreateCustomJobRequestJson['customJob'] = {
    displayName,
    jobSpec,
    labels: assembleLabels(spec, opts.labels, { ...provenance, ...follow }, out),
  };
  const kmsKeyName = assembleKmsKey(spec, out);
  if (kmsKeyName) customJob.encryptionSpec = { kmsKeyName };
  return { customJob, pools, sync: compiledRun.sync, runWarnings: compiledRun.warnings };
}

function checkEnvNames(env: Record<string, string>, out: PathProblem[]): void {
  for (const name of Object.keys(env)) {
    if (!ENV_NAME.test(name))
      out.push({
        path: 'env',
        message: `${quoted(name)} is not a valid environment variable name (a C identifier)`,
      });
  }
}

/** The display-name input wins over the shared queue config's spec.display_name. */
function assembleDisplayName(
  { spec, runName }: ResolvedQueueConfig,
  input: string | undefined,
  out: PathProblem[],
): string {
  if (spec.display_name !== undefined && typeof spec.display_name !== 'string') {
    out.push({
      path: 'spec.display_name',
      message: `expected a string, got ${describeValue(spec.display_name)}`,
    });
  }
  const name = input || (typeof spec.display_name === 'string' && spec.display_name) || runName;
  if (name.length > MAX_DISPLAY_NAME) {
    out.push({
      path: input ? 'display-name' : 'spec.display_name',
      message: `${name.length} characters, but Vertex allows at most ${MAX_DISPLAY_NAME}`,
    });
  }
  return name;
}

/** base_output_dir, else the SDK's timestamped default under the (required) staging bucket. */
function assembleOutputPrefix(
  spec: ResolvedQueueConfig['spec'],
  now: Date,
  out: PathProblem[],
): string {
  const bucket = spec.staging_bucket;
  if (bucket === undefined || bucket === null || bucket === '') {
    out.push({
      path: 'spec.staging_bucket',
      message:
        'required: the Cloud Storage bucket Vertex stages the job in, e.g. gs://my-bucket (same region as the job)',
    });
  } else if (typeof bucket !== 'string') {
    out.push({
      path: 'spec.staging_bucket',
      message: `expected a bucket name, got ${describeValue(bucket)}`,
    });
  }
  const baseOutput = spec.base_output_dir;
  if (baseOutput !== undefined && typeof baseOutput !== 'string') {
    out.push({
      path: 'spec.base_output_dir',
      message: `expected a gs:// path, got ${describeValue(baseOutput)}`,
    });
  }
  if (typeof baseOutput === 'string' && baseOutput) return baseOutput;
  return typeof bucket === 'string' ? defaultBaseOutputDir(bucket, now) : '';
}

function assemblePersistentResource(
  spec: ResolvedQueueConfig['spec'],
  out: PathProblem[],
): string | undefined {
  const id = spec.persistent_resource_id;
  if (typeof id === 'string') return id || undefined;
  if (id !== undefined && id !== null) {
    out.push({
      path: 'spec.persistent_resource_id',
      message: `expected a persistent resource id, got ${describeValue(id)}`,
    });
  }
  return undefined;
}

/** spec.labels, then the labels input, then the action's own; neither may set the action's own. */
function assembleLabels(
  spec: ResolvedQueueConfig['spec'],
  inputLabels: Record<string, string>,
  provenance: Record<string, string>,
  out: PathProblem[],
): Record<string, string> {
  const specLabels = spec.labels ?? {};
  if (
    !isPlainObject(specLabels) ||
    !Object.values(specLabels).every((v) => typeof v === 'string')
  ) {
    out.push({ path: 'spec.labels', message: 'expected a mapping of label keys to string values' });
  }
  const configLabels = isPlainObject(specLabels) ? (specLabels as Record<string, string>) : {};
  out.push(...checkLabels(configLabels, (k) => `spec.labels.${k}`, 'spec.labels'));
  out.push(...checkLabels(inputLabels, () => 'labels', 'labels'));
  for (const key of Object.keys(configLabels).filter(isReservedLabel))
    out.push({ path: `spec.labels.${key}`, message: reservedLabelMessage(key) });
  for (const key of Object.keys(inputLabels).filter(isReservedLabel))
    out.push({ path: 'labels', message: reservedLabelMessage(key) });
  const labels = { ...configLabels, ...inputLabels, ...provenance };
  const count = Object.keys(labels).length;
  if (count > MAX_LABELS) {
    out.push({
      path: 'labels',
      message: `${count} labels with the action's own, but Vertex allows at most ${MAX_LABELS}`,
    });
  }
  return labels;
}

function assembleKmsKey(spec: ResolvedQueueConfig['spec'], out: PathProblem[]): string | undefined {
  const kms = spec.encryption_spec_key_name;
  if (typeof kms === 'string' && kms) return kms;
  if (kms !== undefined && kms !== null)
    out.push({
      path: 'spec.encryption_spec_key_name',
      message: `expected a Cloud KMS key name, got ${describeValue(kms)}`,
    });
  return undefined;
}
