// A submitted job's life, the same for the training job, the Kaniko build job, `attach`, the post
// step and the command line: where the step stands with it (recorded for the post step),
// followed to its end with its log entries, cancelled or left running when the workflow is
// cancelled (cancel-on-abort), let go at the wait-timeout, and the verdict on how it ended.
import { conclusionOf, isTerminal, type JobSnapshot } from '../core/job.ts';
import type { Logger } from '../core/log.ts';
import { followCustomJob } from './follow.ts';
import { cancelCustomJob } from './index.ts';
import type { VertexConnection } from './connection.ts';

/**
 * Where the step stands with a job, as the post step reads it: `following` while it waits on
 * the job; every other phase means the step let the job go on purpose (or saw it end).
 */
export type JobPhase = 'following' | 'detached' | 'done' | 'left-running' | 'cancel-requested';

export const JOB_PHASES: readonly JobPhase[] = [
  'following',
  'detached',
  'done',
  'left-running',
  'cancel-requested',
];

/** Keeps the job's phase for the post step (src/github/state.ts); none on the command line. */
export type RecordPhase = (phase: JobPhase) => void;

/** The job's log entries while it is followed; `E` is what a failed job's last lines are. */
export interface FollowedLogs<E> {
  finish(job: JobSnapshot, followed: { aborted: boolean }): Promise<E | undefined>;
}

export interface FollowPlan<E> {
  /** The wait-timeout (or what is left of it). */
  timeoutSeconds: number;
  signal?: AbortSignal;
  /** On the workflow's cancellation: cancel the job, or leave it running. */
  cancelOnAbort: boolean;
  log: Logger;
  onStateChange?: (job: JobSnapshot) => Promise<void>;
  record?: RecordPhase;
  logs?: FollowedLogs<E>;
  /** What the logs gave back once following is over, before any cancel request. */
  onLogs?: (logs: E | undefined) => void;
}

/** How following ended: the job ended, the wait timed out, or the workflow was cancelled. */
export type Verdict = 'succeeded' | 'failed' | 'timed-out' | 'cancel-requested' | 'left-running';

export interface FollowEnd<E> {
  /** The job as last seen (after the cancel request, when there was one). */
  job: JobSnapshot;
  verdict: Verdict;
  aborted: boolean;
  /** The wait ran out (the job may still have ended at that very moment). */
  timedOut: boolean;
  /** What the logs gave back (a failed job's last lines). */
  logs?: E;
}

/** Follows `job` from `following` to its end, the wait-timeout or the workflow's cancellation. */
export async function followJob<E>(
  vertex: VertexConnection,
  job: JobSnapshot,
  plan: FollowPlan<E>,
): Promise<FollowEnd<E>> {
  plan.record?.('following');
  const followed = await followCustomJob(vertex, job.name, {
    timeoutSeconds: plan.timeoutSeconds,
    signal: plan.signal,
    log: plan.log,
    ...(plan.onStateChange ? { onStateChange: plan.onStateChange } : {}),
  }).catch(async (e: unknown) => {
    await plan.logs?.finish(job, { aborted: true });
    throw e;
  });
  // The job's last lines are printed before the step goes on.
  const logs = await plan.logs?.finish(followed.job, followed);
  plan.onLogs?.(logs);
  const { aborted, timedOut } = followed;
  if (aborted) {
    const stop = await stopOnAbort(
      plan.cancelOnAbort,
      () => cancelCustomJob(vertex, job.name),
      plan.record,
    );
    const last = stop.phase === 'cancel-requested' ? stop.result : followed.job;
    return { job: last, verdict: stop.phase, aborted, timedOut, logs };
  }
  const detached = timedOut && !isTerminal(followed.job.state);
  plan.record?.(detached ? 'detached' : 'done');
  return { job: followed.job, verdict: verdictOf(followed.job, detached), aborted, timedOut, logs };
}

/** Only SUCCEEDED passes; a job still going when the wait ran out timed out. */
function verdictOf(job: JobSnapshot, detached: boolean): Verdict {
  if (detached) return 'timed-out';
  return conclusionOf(job.state) === 'success' ? 'succeeded' : 'failed';
}

/**
 * The workflow was cancelled while the job ran: cancel it (cancel-on-abort), or leave it running.
 * The post step applies the same rule to a job main could not stop itself.
 */
export async function stopOnAbort<T>(
  cancelOnAbort: boolean,
  cancel: () => Promise<T>,
  record?: RecordPhase,
): Promise<{ phase: 'left-running' } | { phase: 'cancel-requested'; result: T }> {
  if (!cancelOnAbort) {
    record?.('left-running');
    return { phase: 'left-running' };
  }
  const result = await cancel();
  record?.('cancel-requested');
  return { phase: 'cancel-requested', result };
}

/** The post step's rule: only a job main was still following when the run stopped is unfinished. */
export function isUnfinished(saved: { name?: string; phase?: JobPhase }): saved is {
  name: string;
  phase: 'following';
} {
  return Boolean(saved.name) && saved.phase === 'following';
}
