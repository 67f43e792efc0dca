// The one retry loop: runs an operation, and after each failure the caller's predicate says
// whether it is worth another try; the schedule (src/core/retry.ts) says how long to wait and
// the budget when to stop. What a failure means beyond that (a refusal that turns a channel
// off, a lost response that needs a lookup) stays with the caller: its predicate and its
// handling of the error that comes out.

import { setTimeout as delay } from 'node:timers/promises';
import { nextWait, type Budget, type DelaySchedule } from '../core/retry.ts';
import { TIME_SCALE_ENV } from '../core/time-scale.ts';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Waits `ms`, or less when `signal` aborts; never rejects. */
export const abortableSleep: Sleep = async (ms, signal) => {
  if (signal?.aborted) return;
  await delay(Math.max(0, ms), undefined, { signal }).catch(() => undefined);
};

/** The factor WB_VERTEX_LAUNCH_TIME_SCALE sets, in (0, 1]; 1 when unset or unusable. */
export function envTimeScale(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env[TIME_SCALE_ENV]);
  return n > 0 ? Math.min(1, n) : 1;
}

/** A sleep whose waits are scaled by WB_VERTEX_LAUNCH_TIME_SCALE (read from `env` at each wait). */
export function scaledSleep(env: NodeJS.ProcessEnv = process.env): Sleep {
  return (ms, signal) => abortableSleep(ms * envTimeScale(env), signal);
}

export interface RetryOptions {
  /** Whether this failure (the `failures`-th in a row) is worth another try. */
  retryable: (error: unknown, failures: number) => boolean;
  /** The wait before each further attempt, in unscaled milliseconds. */
  schedule: DelaySchedule;
  budget?: Budget;
  /** Called before each wait, e.g. to log; `delayMs` is the wait before scaling. */
  onRetry?: (error: unknown, failures: number, delayMs: number) => void;
  /** Scaled sleep of the action unless said. */
  sleep?: Sleep;
  /** Multiplies each wait handed to `sleep` (a connection's own time scale); 1 unless said. */
  timeScale?: number;
  /** Ends the retries: no wait starts, and the last failure is thrown. */
  signal?: AbortSignal;
  now?: () => number;
}

/**
 * `operation(attempt)` (attempt counts from 1) until it returns; a failure that is not
 * retryable, or one the schedule or budget leaves no room for, is thrown as it came.
 */
export async function retry<T>(
  operation: (attempt: number) => Promise<T>,
  opts: RetryOptions,
): Promise<T> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? scaledSleep();
  const started = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (e) {
      if (opts.signal?.aborted || !opts.retryable(e, attempt)) throw e;
      const wait = nextWait(opts.schedule, opts.budget ?? {}, attempt, now() - started, e);
      if (wait === undefined) throw e;
      opts.onRetry?.(e, attempt, wait);
      if (wait > 0) await sleep(wait * (opts.timeScale ?? 1), opts.signal);
    }
  }
}
