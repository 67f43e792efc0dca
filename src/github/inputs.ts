// Reads the action's inputs once into a LaunchContext, with @actions/core's readers (the
// runner's INPUT_<NAME> variables, trimmed; true/false as GitHub spells them). Every malformed
// input is reported together, each naming its input; each settings group has its own reader.
import { join } from 'node:path';
import * as core from '@actions/core';
import type {
  AuthSettings,
  BuildSettings,
  BuilderSettings,
  LaunchContext,
  PreflightSettings,
  ReportingSettings,
  StepMode,
  WandbSettings,
} from '../context.ts';
import { parseFallbackRegions } from '../core/attempts.ts';
import { parseDurationSeconds } from '../core/duration.ts';
import { UserError } from '../core/errors.ts';
import { resolveHttpEndpoint } from '../core/http-endpoint.ts';
import { parseBuilderInputs } from '../core/image/builder-inputs.ts';
import { DEFAULT_PLATFORM } from '../core/image/platform.ts';
import type { Problem } from '../core/errors.ts';
import { parseJobName } from '../core/job.ts';
import { parseKeyValueLines } from '../core/keyvalue.ts';
import { isReservedLabel, reservedLabelMessage } from '../core/launch-identity.ts';
import { parseBaselineSetting } from '../core/results/baseline.ts';
import { parseSecretVersion } from '../core/wandb.ts';
import { quoted } from '../core/quote.ts';
import { loadQueueConfig } from './queue-config-file.ts';
import { inWorkspace } from './workspace-paths.ts';
import { readWandbLaunchInputs } from './wandb-inputs.ts';

/**
 * Makes `values` the step's inputs, as the runner does for an action (INPUT_<NAME>), in place
 * of any set already: for the CLI, whose flags are the action's inputs.
 */
export function giveInputs(
  values: Record<string, string | undefined>,
  env: NodeJS.ProcessEnv = process.env,
): void {
  for (const key of Object.keys(env)) if (key.startsWith('INPUT_')) delete env[key];
  for (const [name, value] of Object.entries(values))
    if (value !== undefined) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
}

const input = (name: string): string => core.getInput(name);
const optional = (name: string): string | undefined => core.getInput(name) || undefined;
/** One value a line, blank lines dropped. */
const lines = (name: string): string[] => core.getMultilineInput(name).filter(Boolean);

/** A true/false input, `fallback` when empty; any other spelling is a problem. */
function bool<T extends boolean | undefined>(
  name: string,
  fallback: T,
  problems: Problem[],
): boolean | T {
  const value = core.getInput(name);
  if (!value) return fallback;
  try {
    return core.getBooleanInput(name);
  } catch {
    problems.push({ path: name, message: `${quoted(value)} is not true or false` });
    return fallback;
  }
}

function pairs(name: string, problems: Problem[]): Record<string, string> {
  const parsed = parseKeyValueLines(input(name), name);
  problems.push(...parsed.problems);
  return parsed.values;
}

/** The action's own labels are refused here already, where each one's line is known. */
function labels(problems: Problem[]): Record<string, string> {
  const parsed = parseKeyValueLines(input('labels'), 'labels');
  problems.push(...parsed.problems);
  for (const key of Object.keys(parsed.values).filter(isReservedLabel))
    problems.push({
      path: 'labels',
      message: `line ${parsed.lineOf[key]}: ${reservedLabelMessage(key)}`,
    });
  return parsed.values;
}

/** An endpoint input of a REST service, checked now and resolved where it is used. */
function endpoint(name: string, problems: Problem[]): string | undefined {
  const value = optional(name);
  try {
    resolveHttpEndpoint(name, value, 'default');
  } catch (err) {
    problems.push(...(err as UserError).problems);
  }
  return value;
}

/** What the post step needs: how to reach Vertex, and whether to cancel on abort. */
export type ConnectionSettings = Pick<LaunchContext, 'auth' | 'vertexEndpoint' | 'cancelOnAbort'>;

export function readConnectionSettings(problems: Problem[] = []): ConnectionSettings {
  const auth: AuthSettings = {
    workloadIdentityProvider: optional('workload-identity-provider'),
    serviceAccount: optional('service-account'),
    audience: optional('audience'),
    universe: input('universe') || 'googleapis.com',
    stsEndpoint: optional('sts-endpoint'),
    iamCredentialsEndpoint: optional('iamcredentials-endpoint'),
  };
  return {
    cancelOnAbort: bool('cancel-on-abort', true, problems),
    vertexEndpoint: optional('vertex-endpoint'),
    auth,
  };
}

/** `attach` and `reconcile` follow or report jobs that exist: they build and submit nothing. */
function readStepMode(problems: Problem[]) {
  const attach = optional('attach');
  const reconcile = bool('reconcile', false, problems);
  if (attach && !parseJobName(attach, { numericId: true })) {
    problems.push({
      path: 'attach',
      message: `${quoted(attach)} is not a CustomJob name: projects/PROJECT/locations/REGION/customJobs/ID (the job-name output of the launching step)`,
    });
  }
  if (attach && reconcile)
    problems.push({ path: 'attach', message: 'give attach or reconcile: true, not both' });
  const agent = bool('agent', false, problems);
  const mode: StepMode = attach
    ? { kind: 'attach', jobName: attach }
    : reconcile
      ? { kind: 'reconcile' }
      : agent
        ? { kind: 'agent' }
        : { kind: 'launch' };
  return { mode, attach, reconcile, agent, launches: mode.kind === 'launch' };
}

function readWaitTimeout(problems: Problem[]): number {
  const timeoutText = input('wait-timeout') || '5h30m';
  const seconds = parseDurationSeconds(timeoutText);
  if (seconds === undefined || seconds <= 0) {
    problems.push({
      path: 'wait-timeout',
      message: `${quoted(timeoutText)} is not a duration such as 5h30m, 90m or 3600`,
    });
  }
  return seconds ?? 0;
}

/** `image` (prebuilt) or `registry` (built from the repository), and how it is built. */
function readImageInputs(
  workspace: string,
  problems: Problem[],
): { image?: string; registry?: string; builder: BuilderSettings } {
  const image = optional('image');
  const registry = optional('registry');
  if (image && registry) {
    problems.push({
      path: 'image',
      message: 'give image (a prebuilt image) or registry (build and push), not both',
    });
  }
  // The build reads these; they too stay inside the workspace.
  for (const name of ['context', 'dockerfile'])
    if (input(name)) inWorkspace(workspace, name, input(name), problems);
  return { image, registry, builder: parseBuilderInputs(input, problems) };
}

function readBuildSettings(problems: Problem[]): BuildSettings {
  const context = input('context') || '.';
  return {
    context,
    dockerfile: input('dockerfile') || join(context, 'Dockerfile'),
    buildArgs: pairs('build-args', problems),
    platform: input('platform') || DEFAULT_PLATFORM,
    cacheFrom: lines('cache-from'),
    cacheTo: lines('cache-to'),
  };
}

function readWandbSettings(problems: Problem[]): WandbSettings {
  const baseline = parseBaselineSetting(input('wandb-baseline'));
  if (!baseline) {
    problems.push({
      path: 'wandb-baseline',
      message: `${quoted(input('wandb-baseline'))} is not base-branch, none, or a W&B run path ENTITY/PROJECT/RUN_ID`,
    });
  }
  const secretText = optional('wandb-api-key-secret');
  const apiKeySecret = secretText === undefined ? undefined : parseSecretVersion(secretText);
  if (secretText !== undefined && apiKeySecret === undefined)
    problems.push({
      path: 'wandb-api-key-secret',
      message: `${quoted(secretText)} is not a Secret Manager secret version: projects/PROJECT/secrets/NAME, or .../versions/VERSION`,
    });
  return {
    project: optional('wandb-project'),
    entity: optional('wandb-entity'),
    apiKey: optional('wandb-api-key'),
    apiKeySecret,
    baseUrl: optional('wandb-base-url'),
    metrics: lines('wandb-metrics'),
    baseline,
  };
}

function readReportingSettings(problems: Problem[]): ReportingSettings {
  return {
    githubToken: optional('github-token'),
    checkRun: bool('check-run', true, problems),
    prComment: bool('pr-comment', false, problems),
    jobSummary: bool('job-summary', true, problems),
  };
}

function readPreflightSettings(problems: Problem[]): PreflightSettings {
  return {
    enabled: bool('preflight', true, problems),
    storageEndpoint: endpoint('storage-endpoint', problems),
    iamEndpoint: endpoint('iam-endpoint', problems),
  };
}

export async function readLaunchContext(workspace: string): Promise<LaunchContext> {
  const problems: Problem[] = [];
  const step = readStepMode(problems);
  const queueConfigValue = input('queue-config');
  if (!queueConfigValue && step.launches && !input('wandb-queue'))
    problems.push({
      path: 'queue-config',
      message:
        'required: a path to the queue config, or the config inline (or wandb-queue: ENTITY/QUEUE)',
    });
  const waitTimeoutSeconds = readWaitTimeout(problems);
  const { image, registry, builder } = readImageInputs(workspace, problems);
  const wandb = readWandbSettings(problems);
  const loggingEndpoint = endpoint('logging-endpoint', problems);
  const dryRun = bool('dry-run', false, problems);
  const context: LaunchContext = {
    queueConfig: { text: '', origin: '' },
    mode: step.mode,
    project: optional('project') ?? (process.env.GOOGLE_CLOUD_PROJECT || undefined),
    region: input('region'),
    fallbackRegions: parseFallbackRegions(input('fallback-regions'), problems),
    image,
    registry,
    build: readBuildSettings(problems),
    builder,
    vars: pairs('vars', problems),
    env: pairs('env', problems),
    labels: labels(problems),
    displayName: optional('display-name'),
    matrix: optional('matrix'),
    wandb,
    wait: bool('wait', undefined, problems),
    waitTimeoutSeconds,
    dryRun,
    allowForkPullRequests: bool('allow-fork-pull-requests', false, problems),
    ...readConnectionSettings(problems),
    logs: bool('logs', true, problems),
    loggingEndpoint,
    reporting: readReportingSettings(problems),
    preflight: readPreflightSettings(problems),
    wandbLaunch: readWandbLaunchInputs(
      step.agent,
      {
        queueConfig: Boolean(queueConfigValue),
        image: Boolean(image),
        registry: Boolean(registry),
        attach: Boolean(step.attach),
        reconcile: step.reconcile,
        dryRun,
        apiKey: Boolean(wandb.apiKey),
        wandbEntity: wandb.entity,
      },
      problems,
    ),
  };
  if (step.reconcile) {
    for (const name of ['project', 'region'] as const)
      if (!context[name])
        problems.push({
          path: name,
          message: 'required with reconcile: true: where to look for jobs',
        });
  }
  if (problems.length > 0) throw new UserError('inputs', 'invalid inputs', problems);
  if (step.launches && queueConfigValue)
    context.queueConfig = await loadQueueConfig(queueConfigValue, workspace);
  return context;
}
