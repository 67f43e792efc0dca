// `launch`, `status JOB` and `cancel JOB`: the action's submit, follow and cancel from a
// terminal, on the same adapters. Credentials are Application Default Credentials, or none
// for a plaintext `--vertex-endpoint http://HOST:PORT` (a local emulator).
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UserError, errorMessage } from '../core/errors.ts';
import { conclusionOf, isTerminal, parseJobName } from '../core/job.ts';
import type { JobSnapshot } from '../core/job.ts';
import type { Logger } from '../core/log.ts';
import { cloudCredentials, openVertex } from '../cloud/connect.ts';
import { cancelCustomJob, getCustomJob, submitCustomJob } from '../vertex/index.ts';
import { followJob } from '../vertex/lifecycle.ts';
import type { VertexConnection } from '../vertex/index.ts';
import { newLaunchLabel } from '../phases/prepare.ts';
import { abortOnSignals } from '../phases/signals.ts';
import { compileFromArgs, PLAN_USAGE } from './plan.ts';
import { JOB_USAGE } from './usage.ts';
import type { PlanIo } from './plan.ts';
import { githubRunInfoFromEnv } from '../github/run-info.ts';
import { parseDurationSeconds } from '../core/duration.ts';
import { commandSafeJson } from '../core/untrusted-text.ts';
import { quoted } from '../core/quote.ts';

export const stderrLog = (io: PlanIo): Logger => ({
  info: (m) => io.stderr(`${m}\n`),
  warning: (m) => io.stderr(`warning: ${m}\n`),
  debug: () => {},
});

/** The CLI's credentials are Application Default Credentials, by the rule of cloud/connect.ts. */
export const CLI_AUTH = { universe: 'googleapis.com' };

export async function connectCli(
  io: PlanIo,
  region: string,
  project: string,
  endpoint: string | undefined,
): Promise<VertexConnection> {
  const settings = { region, project, vertexEndpoint: endpoint, auth: CLI_AUTH };
  const credentials = await cloudCredentials(settings, {
    env: io.env,
    setSecret: () => {},
    log: stderrLog(io),
  });
  return openVertex(settings, credentials);
}

/** A verb's flags and JOB_NAME; a usage error when they do not parse. */
export function parseJobArgs<T extends ParseArgsOptionsConfig>(
  argv: string[],
  options: T,
  usage: string,
) {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: true, options });
  } catch (err) {
    throw new UserError('inputs', `${errorMessage(err)}\n${usage}`);
  }
}

/** The JOB_NAME argument's project and region; a usage error when it is not a job name. */
export function jobNameArgument(name: string | undefined): { project: string; region: string } {
  const parsed = parseJobName(name ?? '', { numericId: true });
  if (!parsed)
    throw new UserError(
      'inputs',
      `expected a job name projects/P/locations/R/customJobs/ID, got ${quoted(name ?? '')}\n${JOB_USAGE}`,
    );
  return { project: parsed.project, region: parsed.location };
}

const print = (io: PlanIo, job: JobSnapshot) => io.stdout(`${commandSafeJson(job)}\n`);

export async function runLaunch(argv: string[], io: PlanIo): Promise<void> {
  const { args, launch } = await compileFromArgs(
    argv,
    io,
    {
      'vertex-endpoint': { type: 'string' },
      wait: { type: 'boolean' },
      'wait-timeout': { type: 'string' },
    },
    `${PLAN_USAGE}\n${JOB_USAGE}`,
  );
  const timeout = parseDurationSeconds(String(args['wait-timeout'] ?? '5h30m'));
  if (!timeout)
    throw new UserError(
      'inputs',
      `--wait-timeout: ${quoted(String(args['wait-timeout']))} is not a duration such as 5h30m`,
    );
  const log = stderrLog(io);
  const vertex = await connectCli(
    io,
    launch.region,
    launch.project,
    args['vertex-endpoint'] as string | undefined,
  );
  try {
    const label = newLaunchLabel(githubRunInfoFromEnv(io.env));
    let { job } = await submitCustomJob(vertex, launch.request, { launchLabel: label, log });
    if (args.wait ?? launch.sync) {
      // Ctrl-C cancels the job, as cancel-on-abort does in the action.
      ({ job } = await followJob(vertex, job, {
        timeoutSeconds: timeout,
        log,
        signal: abortOnSignals().signal,
        cancelOnAbort: true,
      }));
      print(io, job);
      if (!isTerminal(job.state) || conclusionOf(job.state) !== 'success') {
        throw new UserError(
          'wait',
          `the job is ${job.state}${job.error ? `: ${job.error.message}` : ''}`,
        );
      }
      return;
    }
    print(io, job);
  } finally {
    await vertex.close();
  }
}

export async function runJobVerb(
  verb: 'status' | 'cancel',
  argv: string[],
  io: PlanIo,
): Promise<void> {
  const parsed = parseJobArgs(argv, { 'vertex-endpoint': { type: 'string' } }, JOB_USAGE);
  const name = parsed.positionals[0];
  const { project, region } = jobNameArgument(name);
  const vertex = await connectCli(io, region, project, parsed.values['vertex-endpoint']);
  try {
    print(
      io,
      verb === 'status' ? await getCustomJob(vertex, name) : await cancelCustomJob(vertex, name),
    );
  } finally {
    await vertex.close();
  }
}
