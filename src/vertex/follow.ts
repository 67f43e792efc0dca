// Following a job to a terminal state: Get, report a state change once, wait as the policy
// says, repeat. The wait timeout leaves the job alone; an abort returns at once.

import { UserError, errorMessage } from '../core/errors.ts';
import { isTerminal, shortState, type JobSnapshot } from '../core/job.ts';
import type { Logger } from '../core/log.ts';
import {
  DEFAULT_POLL_POLICY,
  nextPoll,
  nextRetry,
  pruneCallTimes,
  type PollPolicy,
} from '../core/follow-policy.ts';
import { abortableSleep, getOnce } from './calls.ts';
import type { VertexConnection } from './connection.ts';
import { unknownSnapshot } from './snapshot.ts';
import { codeName, rpcFailure } from '../grpc/status.ts';
import { isTransientRead, rpcUserError } from './status.ts';

export interface FollowOptions {
  timeoutSeconds: number;
  signal?: AbortSignal;
  onStateChange?: (job: JobSnapshot) => void | Promise<void>;
  log: Logger;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Defaults to DEFAULT_POLL_POLICY; its delays are multiplied by the connection's time scale. */
  policy?: PollPolicy;
}

export interface FollowResult {
  job: JobSnapshot;
  timedOut: boolean;
  aborted: boolean;
}

/** Transient errors in a row for this long (policy time) end the follow with an error. */
export const MAX_ERROR_STREAK_MS = 15 * 60_000;

/** Resolves with the call's outcome, or with undefined as soon as `signal` aborts. */
async function unlessAborted<T>(
  p: Promise<T>,
  signal?: AbortSignal,
): Promise<{ value: T } | undefined> {
  if (!signal) return { value: await p };
  if (signal.aborted) return undefined;
  let onAbort!: () => void;
  const aborted = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([p.then((value) => ({ value })), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    p.catch(() => undefined); // the losing call's rejection is of no interest
  }
}

function describe(job: JobSnapshot): string {
  const error = job.error ? ` (${codeName(job.error.code)}: ${job.error.message})` : '';
  return `Vertex AI job ${job.id} is ${shortState(job.state)}${error}.`;
}

export async function followCustomJob(
  conn: VertexConnection,
  name: string,
  opts: FollowOptions,
): Promise<FollowResult> {
  const { log, signal } = opts;
  const policy = opts.policy ?? DEFAULT_POLL_POLICY;
  const userSleep = opts.sleep ?? abortableSleep;
  const sleep = async (ms: number) => {
    await userSleep(ms, signal).catch(() => undefined); // an injected sleep may reject on abort
  };
  const started = Date.now();
  const deadline = started + Math.max(0, opts.timeoutSeconds) * 1000;
  // The policy reasons in unscaled time, so budgets hold at any time scale.
  const policyNow = () => (Date.now() - started) / conn.timeScale;

  let last: JobSnapshot | undefined;
  let pace: number | undefined;
  let callTimes: number[] = [];
  let errorStreak = 0;
  let errorSince = 0;
  const result = (extra: Omit<FollowResult, 'job'>): FollowResult => ({
    job: last ?? unknownSnapshot(name),
    ...extra,
  });

  for (;;) {
    if (signal?.aborted) return result({ timedOut: false, aborted: true });
    const finalPoll = Date.now() >= deadline;
    callTimes = pruneCallTimes(callTimes, policyNow());
    callTimes.push(policyNow());
    let waitMs: number;
    try {
      const outcome = await unlessAborted(getOnce(conn, name, signal), signal);
      if (!outcome) return result({ timedOut: false, aborted: true });
      const job = outcome.value;
      errorStreak = 0;
      const changed = job.state !== last?.state;
      last = job;
      if (changed) {
        log.info(describe(job));
        try {
          await opts.onStateChange?.(job);
        } catch (e) {
          log.warning(`Reporting the state change failed: ${errorMessage(e)}`);
        }
      }
      if (isTerminal(job.state)) return result({ timedOut: false, aborted: false });
      const next = nextPoll(pace, changed, policyNow(), callTimes, policy);
      pace = next.paceMs;
      waitMs = next.waitMs;
    } catch (e) {
      if (signal?.aborted) return result({ timedOut: false, aborted: true });
      if (!isTransientRead(e))
        throw rpcUserError('wait', 'GetCustomJob', e, `(job ${name}; the job was not changed)`);
      if (errorStreak++ === 0) errorSince = policyNow();
      const code = codeName(rpcFailure(e).code);
      log.debug(`GetCustomJob failed with ${code}; retrying (${errorStreak} in a row).`);
      if (errorStreak === 3)
        log.warning(
          `Vertex AI keeps failing with ${code} while following ${name}; still retrying.`,
        );
      if (policyNow() - errorSince >= MAX_ERROR_STREAK_MS) {
        throw new UserError(
          'wait',
          `Could not read Vertex AI job ${name} for ${MAX_ERROR_STREAK_MS / 60_000} minutes ` +
            `(last error ${code}: ${rpcFailure(e).details}). The job was not changed; check it in the console.`,
        );
      }
      waitMs = nextRetry(errorStreak, policyNow(), callTimes, policy);
    }
    if (finalPoll) return result({ timedOut: true, aborted: false });
    await sleep(Math.min(waitMs * conn.timeScale, Math.max(0, deadline - Date.now())));
  }
}
