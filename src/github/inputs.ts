// Reads the action's inputs once into a LaunchContext. Every malformed input is reported
// together, each naming its input.
import { readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { LaunchContext } from '../context.ts';
import { parseFallbackRegions } from '../core/attempts.ts';
import { parseDurationSeconds } from '../core/duration.ts';
import { UserError } from '../core/errors.ts';
import { resolveHttpEndpoint } from '../core/http-endpoint.ts';
import { parseBuilderInputs } from '../core/image/builder-inputs.ts';
import type { Problem } from '../core/errors.ts';
import { parseJobName } from '../core/job.ts';
import { parseKeyValueLines } from '../core/keyvalue.ts';
import { isReservedLabel, reservedLabelMessage } from '../core/launch-identity.ts';
import { parseBaselineSetting } from '../core/results/baseline.ts';
import { parseSecretVersion } from '../core/wandb.ts';
import { quoted } from '../core/quote.ts';
import { inWorkspace, workspacePath } from './workspace-paths.ts';
import { readWandbLaunchInputs } from './wandb-inputs.ts';

export type InputReader = (name: string) => string;

/** The action runner's way: INPUT_<NAME> with the name upper-cased (hyphens kept). */
export function envInputReader(env: NodeJS.ProcessEnv): InputReader {
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

const TRUE = ['true', 'True', 'TRUE', 'yes', 'on', '1'];
const FALSE = ['false', 'False', 'FALSE', 'no', 'off', '0'];

/** Inline when it looks like a document (several lines, or a JSON object); else a path. */
export function isInlineConfig(value: string): boolean {
  return value.includes('\n') || value.trimStart().startsWith('{');
}

/** A queue config is a few kilobytes; anything far larger is not one. */
const QUEUE_CONFIG_MAX_BYTES = 1 << 20;

export async function loadQueueConfig(
  value: string,
  workspace: string,
): Promise<{ text: string; origin: string }> {
  if (isInlineConfig(value)) return { text: value, origin: '<inline queue-config>' };
  const file = workspacePath(workspace, 'queue-config', value);
  const origin = relative(workspace, file) || value;
  const problem = (message: string) =>
    new UserError('inputs', 'invalid inputs', [{ path: 'queue-config', message }]);
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw problem(`${quoted(value)} is not a regular file`);
    size = info.size;
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw problem(
      `cannot read ${quoted(value)}${code === 'ENOENT' ? ` (no such file in ${workspace}; did the workflow run actions/checkout?)` : `: ${code}`}`,
    );
  }
  if (size > QUEUE_CONFIG_MAX_BYTES)
    throw problem(`${quoted(value)} is ${size} bytes; a queue config is at most 1 MiB`);
  return { text: await readFile(file, 'utf8'), origin };
}

/** Reads true/false inputs, collecting a problem for anything else. */
function boolReader(input: InputReader, problems: Problem[]) {
  return (name: string, fallback: boolean | undefined): boolean | undefined => {
    const value = input(name);
    if (!value) return fallback;
    if (TRUE.includes(value)) return true;
    if (FALSE.includes(value)) return false;
    problems.push({ path: name, message: `${quoted(value)} is not true or false` });
    return fallback;
  };
}

/** What the post step needs: how to reach Vertex, and whether to cancel on abort. */
export type ConnectionSettings = Pick<LaunchContext, 'auth' | 'vertexEndpoint' | 'cancelOnAbort'>;

export function readConnectionSettings(
  input: InputReader,
  problems: Problem[] = [],
): ConnectionSettings {
  const optional = (name: string) => input(name) || undefined;
  return {
    cancelOnAbort: boolReader(input, problems)('cancel-on-abort', true) ?? true,
    vertexEndpoint: optional('vertex-endpoint'),
    auth: {
      workloadIdentityProvider: optional('workload-identity-provider'),
      serviceAccount: optional('service-account'),
      audience: optional('audience'),
      universe: input('universe') || 'googleapis.com',
      stsEndpoint: optional('sts-endpoint'),
      iamCredentialsEndpoint: optional('iamcredentials-endpoint'),
    },
  };
}

export async function readLaunchContext(
  input: InputReader,
  workspace: string,
): Promise<LaunchContext> {
  const problems: Problem[] = [];
  const optional = (name: string) => input(name) || undefined;
  const bool = boolReader(input, problems);
  const pairs = (name: string) => {
    const parsed = parseKeyValueLines(input(name), name);
    problems.push(...parsed.problems);
    return parsed.values;
  };
  // The action's own labels: refused here already, where each one's line is known.
  const labels = () => {
    const parsed = parseKeyValueLines(input('labels'), 'labels');
    problems.push(...parsed.problems);
    for (const key of Object.keys(parsed.values).filter(isReservedLabel))
      problems.push({
        path: 'labels',
        message: `line ${parsed.lineOf[key]}: ${reservedLabelMessage(key)}`,
      });
    return parsed.values;
  };
  const lines = (name: string) =>
    input(name)
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);

  // `attach` and `reconcile` follow or report jobs that exist: they build and submit nothing.
  const attach = optional('attach');
  const reconcile = bool('reconcile', false) ?? false;
  if (attach && !parseJobName(attach, { numericId: true })) {
    problems.push({
      path: 'attach',
      message: `${quoted(attach)} is not a CustomJob name: projects/PROJECT/locations/REGION/customJobs/ID (the job-name output of the launching step)`,
    });
  }
  if (attach && reconcile)
    problems.push({ path: 'attach', message: 'give attach or reconcile: true, not both' });
  const agent = bool('agent', false) ?? false;
  const launches = !attach && !reconcile && !agent;
  const queueConfigValue = input('queue-config');
  if (!queueConfigValue && launches && !input('wandb-queue'))
    problems.push({
      path: 'queue-config',
      message:
        'required: a path to the queue config, or the config inline (or wandb-queue: ENTITY/QUEUE)',
    });
  const timeoutText = input('wait-timeout') || '5h30m';
  const waitTimeoutSeconds = parseDurationSeconds(timeoutText);
  if (waitTimeoutSeconds === undefined || waitTimeoutSeconds <= 0) {
    problems.push({
      path: 'wait-timeout',
      message: `${quoted(timeoutText)} is not a duration such as 5h30m, 90m or 3600`,
    });
  }
  const image = optional('image');
  const registry = optional('registry');
  if (image && registry) {
    problems.push({
      path: 'image',
      message: 'give image (a prebuilt image) or registry (build and push), not both',
    });
  }
  const baseline = parseBaselineSetting(input('wandb-baseline'));
  if (!baseline) {
    problems.push({
      path: 'wandb-baseline',
      message: `${quoted(input('wandb-baseline'))} is not base-branch, none, or a W&B run path ENTITY/PROJECT/RUN_ID`,
    });
  }
  const buildContext = input('context') || '.';
  // The build reads these; they too stay inside the workspace.
  for (const name of ['context', 'dockerfile'])
    if (input(name)) inWorkspace(workspace, name, input(name), problems);
  const builder = parseBuilderInputs(input, problems);
  const endpoint = (name: string) => {
    const value = optional(name);
    try {
      resolveHttpEndpoint(name, value, 'default');
    } catch (err) {
      problems.push(...(err as UserError).problems);
    }
    return value;
  };
  const loggingEndpoint = endpoint('logging-endpoint');
  const secretVersion = (name: string) => {
    const value = optional(name);
    const parsed = value === undefined ? undefined : parseSecretVersion(value);
    if (value !== undefined && parsed === undefined)
      problems.push({
        path: name,
        message: `${quoted(value)} is not a Secret Manager secret version: projects/PROJECT/secrets/NAME, or .../versions/VERSION`,
      });
    return parsed;
  };

  const context: LaunchContext = {
    queueConfig: { text: '', origin: '' },
    mode: attach
      ? { kind: 'attach', jobName: attach }
      : reconcile
        ? { kind: 'reconcile' }
        : agent
          ? { kind: 'agent' }
          : { kind: 'launch' },
    project: optional('project') ?? (process.env.GOOGLE_CLOUD_PROJECT || undefined),
    region: input('region'),
    fallbackRegions: parseFallbackRegions(input('fallback-regions'), problems),
    image,
    registry,
    build: {
      context: buildContext,
      dockerfile: input('dockerfile') || join(buildContext, 'Dockerfile'),
      buildArgs: pairs('build-args'),
      platform: input('platform') || 'linux/amd64',
      cacheFrom: lines('cache-from'),
      cacheTo: lines('cache-to'),
    },
    builder,
    vars: pairs('vars'),
    env: pairs('env'),
    labels: labels(),
    displayName: optional('display-name'),
    matrix: optional('matrix'),
    wandb: {
      project: optional('wandb-project'),
      entity: optional('wandb-entity'),
      apiKey: optional('wandb-api-key'),
      apiKeySecret: secretVersion('wandb-api-key-secret'),
      baseUrl: optional('wandb-base-url'),
      metrics: lines('wandb-metrics'),
      baseline,
    },
    wait: bool('wait', undefined),
    waitTimeoutSeconds: waitTimeoutSeconds ?? 0,
    dryRun: bool('dry-run', false) ?? false,
    allowForkPullRequests: bool('allow-fork-pull-requests', false) ?? false,
    ...readConnectionSettings(input, problems),
    logs: bool('logs', true) ?? true,
    loggingEndpoint,
    reporting: {
      githubToken: optional('github-token'),
      checkRun: bool('check-run', true) ?? true,
      prComment: bool('pr-comment', false) ?? false,
      jobSummary: bool('job-summary', true) ?? true,
    },
    preflight: {
      enabled: bool('preflight', true) ?? true,
      storageEndpoint: endpoint('storage-endpoint'),
      iamEndpoint: endpoint('iam-endpoint'),
    },
    wandbLaunch: readWandbLaunchInputs(
      input,
      agent,
      {
        ...{ queueConfig: Boolean(queueConfigValue), image: Boolean(image) },
        ...{ registry: Boolean(registry), attach: Boolean(attach), reconcile },
        ...{ dryRun: TRUE.includes(input('dry-run')), apiKey: Boolean(input('wandb-api-key')) },
        wandbEntity: optional('wandb-entity'),
      },
      problems,
    ),
  };
  if (reconcile) {
    for (const name of ['project', 'region'] as const)
      if (!context[name])
        problems.push({
          path: name,
          message: 'required with reconcile: true: where to look for jobs',
        });
  }
  if (problems.length > 0) throw new UserError('inputs', 'invalid inputs', problems);
  if (launches && queueConfigValue)
    context.queueConfig = await loadQueueConfig(queueConfigValue, workspace);
  return context;
}
