// Queue config -> CreateCustomJobRequest. Pure: everything it needs comes in as arguments
// (including the clock and the W&B run id), and every problem of the config is returned at
// once, located, rather than the first one thrown.
import type { QueueConfigSource, WandbSettings } from '../../context.ts';
import type { Problem } from '../errors.ts';
import { checkLabels, toLabelValue } from '../labels.ts';
import { isSecretName, redactSecrets } from '../redact.ts';
import type { CreateCustomJobRequestJson, JsonObject } from '../request.ts';
import { wandbEnvironment, wandbRunUrl } from '../wandb.ts';
import { describeValue, isPlainObject } from './convert.ts';
import type { PathProblem } from './convert.ts';
import { NOT_APPLICABLE, RUN_KEYS, SPEC_KEYS, WANDB_LAUNCH_READS } from './keys.ts';
import { compilePools } from './pools.ts';
import { compileRun } from './run-args.ts';
import { unknownKeyHint } from './schema.ts';
import { parseQueueConfigText } from './source.ts';
import { buildTemplateValues, unknownTemplateMessage } from './template-values.ts';
import type { GitHubRunInfo } from './template-values.ts';
import { substituteTemplates } from './templates.ts';
import {
  checkTarget,
  defaultBaseOutputDir,
  defaultDisplayName,
  MAX_DISPLAY_NAME,
} from './target.ts';

export interface CompileOptions {
  source: QueueConfigSource;
  project?: string;
  region?: string;
  /** The image `${image_uri}` stands for: the `image` input, or the one built from `registry`. */
  image?: string;
  /** Which input gave `image`, for the warning when no pool uses it. */
  imageInput?: 'image' | 'registry';
  vars: Record<string, string>;
  env: Record<string, string>;
  labels: Record<string, string>;
  displayName?: string;
  wandb: WandbSettings;
  wandbRunId: string;
  github: GitHubRunInfo;
  /** The label that makes this launch's job findable again (create exactly once). */
  launchLabel?: { key: string; value: string };
  now: Date;
}

export interface CompiledLaunch {
  request: CreateCustomJobRequestJson;
  project: string;
  region: string;
  /** `run.sync`, when the config sets it. */
  sync?: boolean;
  /** `spec.staging_bucket` as given (templates substituted); not part of the request. */
  stagingBucket: string;
  warnings: string[];
  usesImage: boolean;
  wandbRunUrl?: string;
  /** Values that must never be printed. */
  secrets: string[];
}

export type CompileResult =
  { ok: true; launch: CompiledLaunch } | { ok: false; problems: Problem[] };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function provenanceLabels(opts: CompileOptions): Record<string, string> {
  const labels: Record<string, string> = {
    'managed-by': 'wb-vertex-launch',
    'wandb-run-id': opts.wandbRunId,
  };
  const { repository, runId, sha } = opts.github;
  if (repository) labels['github-repository'] = toLabelValue(repository.replace('/', '_'));
  if (runId) labels['github-run-id'] = toLabelValue(runId);
  if (sha) labels['github-sha'] = toLabelValue(sha);
  if (opts.launchLabel) labels[opts.launchLabel.key] = toLabelValue(opts.launchLabel.value);
  return labels;
}

function checkSectionKeys(
  section: Record<string, unknown>,
  name: 'spec' | 'run',
  known: readonly string[],
  out: PathProblem[],
): void {
  for (const key of Object.keys(section)) {
    const path = `${name}.${key}`;
    if (NOT_APPLICABLE[path]) out.push({ path, message: NOT_APPLICABLE[path] });
    else if (!known.includes(key)) out.push({ path, message: unknownKeyHint(key, known) });
  }
}

function findPlaceholders(value: unknown, path: string, out: PathProblem[]): void {
  if (typeof value === 'string' && value.includes('<REQUIRED>')) {
    out.push({ path, message: 'still the <REQUIRED> placeholder: fill in a value' });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => findPlaceholders(v, `${path}[${i}]`, out));
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) findPlaceholders(v, path ? `${path}.${k}` : k, out);
  }
}

function wandbIgnoredKeys(spec: Record<string, unknown>, run: Record<string, unknown>): string[] {
  // Keys this action applies (known) that W&B Launch's runner does not read.
  const ignored = (
    section: 'spec' | 'run',
    value: Record<string, unknown>,
    known: readonly string[],
  ) => {
    const reads: readonly string[] = WANDB_LAUNCH_READS[section];
    return Object.keys(value)
      .filter((k) => known.includes(k) && !reads.includes(k))
      .map((k) => `${section}.${k}`);
  };
  return [...ignored('spec', spec, SPEC_KEYS), ...ignored('run', run, RUN_KEYS)];
}

/** The WANDB_RUN_ID values the pools' containers end up with. */
function ownRunIds(pools: JsonObject[]): string[] {
  const ids: string[] = [];
  for (const pool of pools) {
    for (const task of [pool.containerSpec, pool.pythonPackageSpec]) {
      const env = (task as JsonObject | undefined)?.env;
      if (!Array.isArray(env)) continue;
      for (const entry of env as JsonObject[]) {
        if (entry.name === 'WANDB_RUN_ID' && typeof entry.value === 'string') ids.push(entry.value);
      }
    }
  }
  return ids;
}

/** Values never to print: the W&B key and every env or vars entry with a secret-looking name. */
function secretValues(opts: CompileOptions): string[] {
  const named = [...Object.entries(opts.env), ...Object.entries(opts.vars)]
    .filter(([name]) => isSecretName(name))
    .map(([, value]) => value);
  return [opts.wandb.apiKey, ...named].filter((v): v is string => Boolean(v));
}

export function compileQueueConfig(opts: CompileOptions): CompileResult {
  const file = opts.source.origin;
  const parsed = parseQueueConfigText(opts.source);
  // Inputs' problems first, then the config's in file order.
  const locate = (problems: PathProblem[]): Problem[] =>
    problems
      .map((p) => {
        const pos = parsed.locate(p.path);
        return { ...p, file: pos ? file : undefined, line: pos?.line, column: pos?.column };
      })
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  if (parsed.problems.length > 0) return { ok: false, problems: parsed.problems };

  const out: PathProblem[] = [];
  const root = parsed.value;
  if (!isPlainObject(root)) {
    return {
      ok: false,
      problems: [
        {
          file,
          message: `a queue config is a mapping with keys spec and run, got ${describeValue(root)}`,
        },
      ],
    };
  }
  for (const key of Object.keys(root)) {
    if (key !== 'spec' && key !== 'run')
      out.push({ path: key, message: unknownKeyHint(key, ['spec', 'run']) });
  }
  const rawSpec = root.spec ?? {};
  const rawRun = root.run ?? {};
  if (!isPlainObject(rawSpec))
    out.push({ path: 'spec', message: `expected a mapping, got ${describeValue(rawSpec)}` });
  if (!isPlainObject(rawRun))
    out.push({ path: 'run', message: `expected a mapping, got ${describeValue(rawRun)}` });
  if (out.length > 0 || !isPlainObject(rawSpec) || !isPlainObject(rawRun))
    return { ok: false, problems: locate(out) };

  checkSectionKeys(rawSpec, 'spec', SPEC_KEYS, out);
  checkSectionKeys(rawRun, 'run', RUN_KEYS, out);
  findPlaceholders(root, '', out);

  // ${run_name} is the run's own name: the display-name input, else the default one.
  const runName = opts.displayName || defaultDisplayName(opts.github, opts.now);

  const templates = buildTemplateValues({
    image: opts.image,
    wandbProject: opts.wandb.project,
    wandbEntity: opts.wandb.entity,
    runId: opts.wandbRunId,
    runName,
    github: opts.github,
    vars: opts.vars,
  });
  out.push(...templates.problems);
  const resolved = substituteTemplates(root, templates.values);
  for (const issue of resolved.unknown) {
    out.push({ path: issue.path, message: unknownTemplateMessage(issue.name, templates.values) });
  }
  const spec = (resolved.value as Record<string, Record<string, unknown>>).spec ?? {};
  const run = (resolved.value as Record<string, Record<string, unknown>>).run ?? {};
  // Project and region from the substituted spec (templates work there too); the
  // experiment names below depend on them.
  const target = checkTarget(spec, opts, out);

  for (const name of Object.keys(opts.env)) {
    if (!ENV_NAME.test(name))
      out.push({
        path: 'env',
        message: `"${name}" is not a valid environment variable name (a C identifier)`,
      });
  }
  const pools = compilePools(
    spec.worker_pool_specs,
    'spec.worker_pool_specs',
    { defaults: wandbEnvironment(opts.wandb, opts.wandbRunId), overrides: opts.env },
    out,
  );

  if (spec.display_name !== undefined && typeof spec.display_name !== 'string') {
    out.push({
      path: 'spec.display_name',
      message: `expected a string, got ${describeValue(spec.display_name)}`,
    });
  }
  // The step's own input wins over the shared queue config.
  const finalName =
    opts.displayName || (typeof spec.display_name === 'string' && spec.display_name) || runName;
  if (finalName.length > MAX_DISPLAY_NAME) {
    out.push({
      path: opts.displayName ? 'display-name' : 'spec.display_name',
      message: `${finalName.length} characters, but Vertex allows at most ${MAX_DISPLAY_NAME}`,
    });
  }

  const jobSpec: JsonObject = { workerPoolSpecs: pools };
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
  const outputUriPrefix =
    typeof baseOutput === 'string' && baseOutput
      ? baseOutput
      : typeof bucket === 'string'
        ? defaultBaseOutputDir(bucket, opts.now)
        : '';
  jobSpec.baseOutputDirectory = { outputUriPrefix };
  const specPersistent = spec.persistent_resource_id;
  if (typeof specPersistent === 'string' && specPersistent)
    jobSpec.persistentResourceId = specPersistent;
  else if (
    specPersistent !== undefined &&
    specPersistent !== null &&
    typeof specPersistent !== 'string'
  ) {
    out.push({
      path: 'spec.persistent_resource_id',
      message: `expected a persistent resource id, got ${describeValue(specPersistent)}`,
    });
  }
  const compiledRun = compileRun(run, target, out);
  Object.assign(jobSpec, compiledRun.jobSpec);

  const specLabels = spec.labels ?? {};
  if (
    !isPlainObject(specLabels) ||
    !Object.values(specLabels).every((v) => typeof v === 'string')
  ) {
    out.push({ path: 'spec.labels', message: 'expected a mapping of label keys to string values' });
  }
  const configLabels = isPlainObject(specLabels) ? (specLabels as Record<string, string>) : {};
  out.push(...checkLabels(configLabels, (k) => `spec.labels.${k}`, 'spec.labels'));
  out.push(...checkLabels(opts.labels, () => 'labels', 'labels'));
  const labels = { ...configLabels, ...opts.labels, ...provenanceLabels(opts) };
  if (Object.keys(labels).length > 64) {
    out.push({
      path: 'labels',
      message: `${Object.keys(labels).length} labels with the action's own, but Vertex allows at most 64`,
    });
  }

  const customJob: CreateCustomJobRequestJson['customJob'] = {
    displayName: finalName,
    jobSpec,
    labels,
  };
  const kms = spec.encryption_spec_key_name;
  if (typeof kms === 'string' && kms) customJob.encryptionSpec = { kmsKeyName: kms };
  else if (kms !== undefined && kms !== null)
    out.push({
      path: 'spec.encryption_spec_key_name',
      message: `expected a Cloud KMS key name, got ${describeValue(kms)}`,
    });

  // Messages quote the values they reject; a substituted secret must not be quoted.
  if (out.length > 0)
    return { ok: false, problems: redactSecrets(locate(out), secretValues(opts)) };

  const usesImage = resolved.used.has('image_uri');
  const warnings = [...compiledRun.warnings];
  if (ownRunIds(pools).some((id) => id !== opts.wandbRunId)) {
    warnings.push(
      `WANDB_RUN_ID is set in the queue config or the env input, and wins in the containers; the wandb-run-url output and the wandb-run-id label name the action's own run id ${opts.wandbRunId}`,
    );
  }
  if (opts.image && !usesImage) {
    warnings.push(
      `the ${opts.imageInput ?? 'image'} input is not used: no worker pool refers to \${image_uri}, so the images written in the queue config run`,
    );
  }
  const ignored = wandbIgnoredKeys(rawSpec, rawRun);
  if (ignored.length > 0) {
    warnings.push(
      `${ignored.join(', ')}: applied here, but W&B Launch's Vertex runner ignores ${ignored.length > 1 ? 'them' : 'it'}`,
    );
  }
  return {
    ok: true,
    launch: {
      request: { parent: `projects/${target.project}/locations/${target.region}`, customJob },
      project: target.project,
      region: target.region,
      sync: compiledRun.sync,
      stagingBucket: bucket as string,
      warnings,
      usesImage,
      wandbRunUrl: wandbRunUrl(opts.wandb, opts.wandbRunId),
      secrets: secretValues(opts),
    },
  };
}
