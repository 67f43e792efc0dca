// Reads the action's inputs once into a LaunchContext. Every malformed input is reported
// together, each naming its input.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type { LaunchContext } from '../context.ts';
import { parseDurationSeconds } from '../core/duration.ts';
import { UserError } from '../core/errors.ts';
import type { Problem } from '../core/errors.ts';
import { parseKeyValueLines } from '../core/keyvalue.ts';
import { parseEndpoint } from '../vertex/endpoint.ts';

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

export async function loadQueueConfig(
  value: string,
  workspace: string,
): Promise<{ text: string; origin: string }> {
  if (isInlineConfig(value)) return { text: value, origin: '<inline queue-config>' };
  const path = isAbsolute(value) ? value : join(workspace, value);
  try {
    const origin = isAbsolute(value) ? relative(workspace, value) || value : value;
    return { text: await readFile(path, 'utf8'), origin: origin.startsWith('..') ? value : origin };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(
      'inputs',
      `queue-config: cannot read ${value}${code === 'ENOENT' ? ` (no such file in ${workspace}; did the workflow run actions/checkout?)` : `: ${code}`}`,
    );
  }
}

export async function readLaunchContext(
  input: InputReader,
  workspace: string,
): Promise<LaunchContext> {
  const problems: Problem[] = [];
  const optional = (name: string) => input(name) || undefined;
  const bool = (name: string, fallback: boolean | undefined): boolean | undefined => {
    const value = input(name);
    if (!value) return fallback;
    if (TRUE.includes(value)) return true;
    if (FALSE.includes(value)) return false;
    problems.push({ path: name, message: `"${value}" is not true or false` });
    return fallback;
  };
  const pairs = (name: string) => {
    const parsed = parseKeyValueLines(input(name), name);
    problems.push(...parsed.problems);
    return parsed.values;
  };
  const lines = (name: string) =>
    input(name)
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);

  const queueConfigValue = input('queue-config');
  if (!queueConfigValue)
    problems.push({
      path: 'queue-config',
      message: 'required: a path to the queue config, or the config inline',
    });
  const timeoutText = input('wait-timeout') || '5h30m';
  const waitTimeoutSeconds = parseDurationSeconds(timeoutText);
  if (waitTimeoutSeconds === undefined || waitTimeoutSeconds <= 0) {
    problems.push({
      path: 'wait-timeout',
      message: `"${timeoutText}" is not a duration such as 5h30m, 90m or 3600`,
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
  const buildContext = input('context') || '.';
  const loggingEndpoint = optional('logging-endpoint');
  try {
    if (loggingEndpoint) parseEndpoint(loggingEndpoint, 'logging-endpoint');
  } catch (e) {
    problems.push(...(e as UserError).problems);
  }

  const context: LaunchContext = {
    queueConfig: { text: '', origin: '' },
    project: optional('project') ?? (process.env.GOOGLE_CLOUD_PROJECT || undefined),
    region: input('region'),
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
    vars: pairs('vars'),
    env: pairs('env'),
    labels: pairs('labels'),
    displayName: optional('display-name'),
    wandb: {
      project: optional('wandb-project'),
      entity: optional('wandb-entity'),
      apiKey: optional('wandb-api-key'),
      baseUrl: optional('wandb-base-url'),
    },
    wait: bool('wait', undefined),
    waitTimeoutSeconds: waitTimeoutSeconds ?? 0,
    cancelOnAbort: bool('cancel-on-abort', true) ?? true,
    dryRun: bool('dry-run', false) ?? false,
    vertexEndpoint: optional('vertex-endpoint'),
    logs: bool('logs', true) ?? true,
    loggingEndpoint,
    auth: {
      workloadIdentityProvider: optional('workload-identity-provider'),
      serviceAccount: optional('service-account'),
      audience: optional('audience'),
      universe: input('universe') || 'googleapis.com',
      stsEndpoint: optional('sts-endpoint'),
      iamCredentialsEndpoint: optional('iamcredentials-endpoint'),
    },
    reporting: {
      githubToken: optional('github-token'),
      checkRun: bool('check-run', true) ?? true,
      prComment: bool('pr-comment', false) ?? false,
      jobSummary: bool('job-summary', true) ?? true,
    },
  };
  if (problems.length > 0) throw new UserError('inputs', 'invalid inputs', problems);
  context.queueConfig = await loadQueueConfig(queueConfigValue, workspace);
  return context;
}
