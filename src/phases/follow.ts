// Following a job to its end, shared by a launch that waits and by `attach`: the job's lifecycle
// (src/vertex/lifecycle.ts: the phase recorded for the post step, the workflow's cancellation
// with cancel-on-abort, the wait-timeout) with the action's side of it: the state on each change
// (output and reports), the job's log entries in the step log (and a failed job's last lines in
// the report), and the step's verdict.
import type { LaunchContext } from '../context.ts';
import { formatDuration } from '../core/duration.ts';
import { UserError } from '../core/errors.ts';
import { isTerminal } from '../core/job.ts';
import type { JobSnapshot } from '../core/job.ts';
import { actionLog as log, setOutput } from '../github/runtime.ts';
import { jobRecorder } from '../github/state.ts';
import type { VertexConnection } from '../vertex/index.ts';
import { followJob, type FollowEnd } from '../vertex/lifecycle.ts';
import type { GoogleCredentials } from '../google-auth/index.ts';
import { startJobLogs } from './logs.ts';
import type { LaunchProgress } from './progress.ts';
import { jobResults, stepResultsContext } from './results.ts';
import { abortOnSignals } from './signals.ts';

/** How one attempt of a launch is followed (src/phases/attempts.ts). */
export interface FollowAttempt {
  /** The launch's own abort, set up before its first Create. */
  abort?: { signal: AbortSignal };
  /** An ended job the launch takes back (a capacity failure it retries elsewhere), unreported. */
  handBack?: (job: JobSnapshot) => boolean;
  /** What is left of `wait-timeout` for this attempt (the launch's attempts share it). */
  timeoutSeconds?: number;
}

/** Returns the job when `attempt.handBack` took it back; otherwise reports it and concludes. */
export async function followToEnd(
  ctx: LaunchContext,
  vertex: VertexConnection,
  job: JobSnapshot,
  progress: LaunchProgress,
  logSource: {
    credentials: GoogleCredentials | undefined;
    project: string;
    secrets: string[];
  },
  attempt: FollowAttempt = {},
): Promise<JobSnapshot | undefined> {
  // Handlers stay for the rest of the step: a second signal must not kill the cancel call.
  const abort = attempt.abort ?? abortOnSignals();
  const end = await followJob(vertex, job, {
    timeoutSeconds: attempt.timeoutSeconds ?? ctx.waitTimeoutSeconds,
    signal: abort.signal,
    cancelOnAbort: ctx.cancelOnAbort,
    log,
    onStateChange: async (changed) => {
      setOutput('job-state', changed.state);
      await progress.stateChanged(changed);
    },
    record: jobRecorder('job', job.name),
    logs: startJobLogs(ctx, logSource, job, logSource.credentials, {
      signal: abort.signal,
      timeScale: vertex.timeScale,
    }),
    // A failed job's last lines go in the report.
    onLogs: (logExcerpt) => progress.update({ logExcerpt }),
  });
  const last = end.job;
  setOutput('job-state', last.state);
  if (end.aborted) {
    log.warning(
      end.verdict === 'left-running'
        ? `The workflow was cancelled; cancel-on-abort is false, so ${job.name} keeps running.`
        : `The workflow was cancelled: cancellation of ${job.name} was requested.`,
    );
    await progress.finish(last, { outcome: 'cancelled' });
    throw new UserError('wait', 'the workflow was cancelled while the job ran');
  }
  if (!end.timedOut && attempt.handBack?.(last)) return last;
  // An ended job's W&B run, against the baseline's (with a wandb-api-key; never fails the step).
  const metrics = isTerminal(last.state)
    ? await jobResults(last, stepResultsContext(ctx, vertex, { publish: true }))
    : undefined;
  await progress.finish(last, { waitTimedOut: end.timedOut, ...(metrics ? { metrics } : {}) });
  concludeJob(end, ctx.waitTimeoutSeconds, progress.report.links.console);
  return undefined;
}

/** The step's verdict on a job it followed: only SUCCEEDED passes. */
function concludeJob(
  { job, verdict }: FollowEnd<unknown>,
  timeoutSeconds: number,
  url: string | undefined,
): void {
  if (verdict === 'timed-out') {
    throw new UserError(
      'wait',
      `stopped following after ${formatDuration(timeoutSeconds)} (wait-timeout); ${job.name} is still ${job.state} and keeps running: ${url}. ` +
        `Its check run stays in progress until a step with \`attach: ${job.name}\` or a \`reconcile: true\` run sees it end.`,
    );
  }
  if (verdict === 'succeeded') {
    log.info(`${job.name} succeeded.`);
    return;
  }
  const reason = job.error?.message ? `: ${job.error.message}` : '';
  throw new UserError('wait', `the job ended ${job.state}${reason} (${url})`);
}
