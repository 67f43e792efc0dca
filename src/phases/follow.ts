// Following a job to its end, shared by a launch that waits and by `attach`: the state on each
// change (output and reports), the job's log entries in the step log (and a failed job's last
// lines in the report), the workflow's cancellation (cancel-on-abort), the wait-timeout (the
// job goes on, its check run stays open), and the step's verdict.
import type { LaunchContext } from '../context.ts';
import { formatDuration } from '../core/duration.ts';
import { UserError } from '../core/errors.ts';
import { conclusionOf, isTerminal } from '../core/job.ts';
import type { JobSnapshot } from '../core/job.ts';
import { actionLog as log, saveState, setOutput, STATE } from '../github/runtime.ts';
import { cancelCustomJob, followCustomJob, type VertexConnection } from '../vertex/index.ts';
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
  saveState(STATE.jobName, job.name);
  saveState(STATE.jobPhase, 'following');
  // Handlers stay for the rest of the step: a second signal must not kill the cancel call.
  const abort = attempt.abort ?? abortOnSignals();
  const logs = startJobLogs(ctx, logSource, job, logSource.credentials, {
    signal: abort.signal,
    timeScale: vertex.timeScale,
  });
  const followed = await followCustomJob(vertex, job.name, {
    timeoutSeconds: attempt.timeoutSeconds ?? ctx.waitTimeoutSeconds,
    signal: abort.signal,
    log,
    onStateChange: async (changed) => {
      setOutput('job-state', changed.state);
      await progress.stateChanged(changed);
    },
  }).catch(async (e: unknown) => {
    await logs.finish(job, { aborted: true });
    throw e;
  });
  let last = followed.job;
  // The job's last lines are printed before the step goes on; a failed job's go in the report.
  progress.update({ logExcerpt: await logs.finish(last, followed) });
  if (followed.aborted) {
    last = await stopOnAbort(last, ctx.cancelOnAbort, () => cancelCustomJob(vertex, last.name));
    setOutput('job-state', last.state);
    await progress.finish(last, { outcome: 'cancelled' });
    throw new UserError('wait', 'the workflow was cancelled while the job ran');
  }
  saveState(STATE.jobPhase, followed.timedOut && !isTerminal(last.state) ? 'detached' : 'done');
  setOutput('job-state', last.state);
  if (!followed.timedOut && attempt.handBack?.(last)) return last;
  // An ended job's W&B run, against the baseline's (with a wandb-api-key; never fails the step).
  const metrics = isTerminal(last.state)
    ? await jobResults(last, stepResultsContext(ctx, vertex, { publish: true }))
    : undefined;
  await progress.finish(last, { waitTimedOut: followed.timedOut, ...(metrics ? { metrics } : {}) });
  concludeJob(last, followed.timedOut, ctx.waitTimeoutSeconds, progress.report.links.console);
  return undefined;
}

async function stopOnAbort(
  job: JobSnapshot,
  cancelOnAbort: boolean,
  cancel: () => Promise<JobSnapshot>,
): Promise<JobSnapshot> {
  if (!cancelOnAbort) {
    saveState(STATE.jobPhase, 'left-running');
    log.warning(
      `The workflow was cancelled; cancel-on-abort is false, so ${job.name} keeps running.`,
    );
    return job;
  }
  const cancelled = await cancel();
  saveState(STATE.jobPhase, 'cancel-requested');
  log.warning(`The workflow was cancelled: cancellation of ${job.name} was requested.`);
  return cancelled;
}

/** The step's verdict on a job it followed: only SUCCEEDED passes. */
function concludeJob(
  job: JobSnapshot,
  timedOut: boolean,
  timeoutSeconds: number,
  url: string | undefined,
): void {
  if (timedOut && !isTerminal(job.state)) {
    throw new UserError(
      'wait',
      `stopped following after ${formatDuration(timeoutSeconds)} (wait-timeout); ${job.name} is still ${job.state} and keeps running: ${url}. ` +
        `Its check run stays in progress until a step with \`attach: ${job.name}\` or a \`reconcile: true\` run sees it end.`,
    );
  }
  if (conclusionOf(job.state) === 'success') {
    log.info(`${job.name} succeeded.`);
    return;
  }
  const reason = job.error?.message ? `: ${job.error.message}` : '';
  throw new UserError('wait', `the job ended ${job.state}${reason} (${url})`);
}
