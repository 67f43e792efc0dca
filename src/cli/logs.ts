// `logs JOB_NAME [--follow]`: the job's Cloud Logging entries on stdout, through the same
// follower the action uses. Without --follow, what is there now; with it, until the job ends.
// Credentials are Application Default Credentials, or none when both endpoints are plaintext
// (local emulators).
import { UserError } from '../core/errors.ts';
import { isTerminal } from '../core/job.ts';
import { cloudCredentials, loggingConnection, openVertex } from '../cloud/connect.ts';
import { followJobLogs } from '../logging/index.ts';
import { abortOnSignals } from '../phases/signals.ts';
import { getCustomJob } from '../vertex/index.ts';
import { followJob } from '../vertex/lifecycle.ts';
import { CLI_AUTH, jobNameArgument, parseJobArgs, stderrLog } from './jobs.ts';
import { runnerSafe } from './runner-output.ts';
import type { PlanIo } from './plan.ts';
import { LOGS_USAGE } from './usage.ts';

/** Long enough for any job; the follow ends when the job does (or on Ctrl-C). */
const FOLLOW_LIMIT_SECONDS = 7 * 24 * 3600;

export async function runLogs(argv: string[], io: PlanIo): Promise<void> {
  const parsed = parseJobArgs(
    argv,
    {
      follow: { type: 'boolean', short: 'f' },
      'vertex-endpoint': { type: 'string' },
      'logging-endpoint': { type: 'string' },
    },
    LOGS_USAGE,
  );
  const name = parsed.positionals[0];
  if (parsed.positionals.length > 1)
    throw new UserError('inputs', `one job name, please\n${LOGS_USAGE}`);
  const { project, region } = jobNameArgument(name);
  const vertexEndpoint = parsed.values['vertex-endpoint'];
  const loggingEndpoint = parsed.values['logging-endpoint'];
  const log = stderrLog(io);
  const printLines = runnerSafe(io.stdout, io.env, 'always');
  const settings = { region, project, vertexEndpoint, loggingEndpoint, auth: CLI_AUTH };
  const credentials = await cloudCredentials(
    settings,
    { env: io.env, setSecret: () => {}, log },
    { logs: true },
  );
  const vertex = await openVertex(settings, credentials);
  try {
    let job = await getCustomJob(vertex, name);
    const abort = abortOnSignals();
    const follower = followJobLogs({
      jobName: name,
      since: job.createTime,
      connection: loggingConnection(settings, credentials),
      log,
      // The job's own lines: under a runner, with workflow commands off.
      print: (lines) => printLines(lines.map((l) => `${l}\n`).join('')),
      signal: abort.signal,
      timeScale: vertex.timeScale,
    });
    let aborted = false;
    if (parsed.values.follow && !isTerminal(job.state)) {
      // Ctrl-C stops reading; the job goes on.
      const followed = await followJob(vertex, job, {
        timeoutSeconds: FOLLOW_LIMIT_SECONDS,
        signal: abort.signal,
        cancelOnAbort: false,
        log: { ...log, info: () => {} },
      }).catch(async (e: unknown) => {
        await follower.finish({ drain: false });
        throw e;
      });
      job = followed.job;
      aborted = followed.aborted;
    }
    // Read until nothing new comes: the whole log of an ended job, what is there of a running one.
    const result = await follower.finish({ drain: !aborted, endTime: job.endTime });
    if (result.status !== 'read')
      throw new UserError('wait', `the logs of ${name} could not be read (see the warning above)`);
    io.stderr(`${name}: ${job.state}, ${result.lines} log lines.\n`);
  } finally {
    await vertex.close();
  }
}
