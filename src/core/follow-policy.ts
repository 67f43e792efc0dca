// When to ask Vertex about a job again. Pure: the follow loop supplies the clock and the
// history; everything here is arithmetic, so tests can replay hours of polling instantly.
//
// Quick polls while the job is changing state (a user watching a new launch wants to see
// QUEUED -> PENDING -> RUNNING promptly), slowing geometrically while nothing changes, and a
// hard budget of Get calls in any rolling hour so a job that runs for days, or one whose state
// flaps, costs a bounded and known amount of API quota.

export interface PollPolicy {
  /** Delay after a poll that saw a new state (and before the second poll). */
  quickMs: number;
  /** Factor applied to the delay after each poll that saw no change. */
  growth: number;
  /** The delay never grows beyond this. */
  maxMs: number;
  /** At most this many Get calls in any rolling hour, whatever the job does. */
  maxCallsPerHour: number;
  /** First delay after a transient API error; doubles per consecutive error. */
  retryBaseMs: number;
  /** Cap on the retry delay. */
  retryMaxMs: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = {
  quickMs: 5_000,
  growth: 1.5,
  // 30 s: a job that ends is seen within 30 s, and a job that keeps running costs 120 Gets
  // an hour. The hard cap leaves room for the quick polls around state changes (a few per
  // change), so they never stretch a wait past 30 s; it binds only for a job that flaps.
  maxMs: 30_000,
  maxCallsPerHour: 130,
  retryBaseMs: 1_000,
  retryMaxMs: 30_000,
};

export const HOUR_MS = 3_600_000;

/**
 * Delay before the next Get, from the delay used last and whether the poll that just
 * returned saw a different state. `previousDelayMs` undefined means no poll happened yet.
 */
export function pollDelay(
  previousDelayMs: number | undefined,
  changed: boolean,
  policy: PollPolicy,
): number {
  if (previousDelayMs === undefined || changed) return policy.quickMs;
  return Math.min(policy.maxMs, Math.max(policy.quickMs, previousDelayMs * policy.growth));
}

/** Delay before retrying after `consecutiveErrors` (>= 1) transient failures in a row. */
export function retryDelay(consecutiveErrors: number, policy: PollPolicy): number {
  const n = Math.max(1, consecutiveErrors);
  return Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** (n - 1));
}

/**
 * The smallest delay from `now` after which one more call keeps every rolling hour within
 * `maxCallsPerHour`. `callTimes` are the times of earlier calls, ascending, in the same clock.
 */
export function budgetDelay(now: number, callTimes: readonly number[], policy: PollPolicy): number {
  const n = callTimes.length;
  const max = policy.maxCallsPerHour;
  if (n < max) return 0;
  // The next call at T is allowed when at most max-1 earlier calls lie in (T - 1h, T].
  return Math.max(0, callTimes[n - max] + HOUR_MS - now);
}

export interface NextPoll {
  /** Delay used by the pacing rule (feed back as `previousDelayMs`). */
  paceMs: number;
  /** What to actually wait: the pace, stretched when the hourly budget requires. */
  waitMs: number;
}

/**
 * The next wait after a successful poll, combining pacing and the hourly budget.
 * `callTimes` includes the poll that just returned.
 */
export function nextPoll(
  previousDelayMs: number | undefined,
  changed: boolean,
  now: number,
  callTimes: readonly number[],
  policy: PollPolicy = DEFAULT_POLL_POLICY,
): NextPoll {
  const paceMs = pollDelay(previousDelayMs, changed, policy);
  return { paceMs, waitMs: Math.max(paceMs, budgetDelay(now, callTimes, policy)) };
}

/** The wait after a failed poll: exponential backoff, never breaking the hourly budget. */
export function nextRetry(
  consecutiveErrors: number,
  now: number,
  callTimes: readonly number[],
  policy: PollPolicy = DEFAULT_POLL_POLICY,
): number {
  return Math.max(retryDelay(consecutiveErrors, policy), budgetDelay(now, callTimes, policy));
}

/** Drops call times that can no longer affect the budget (older than one hour before `now`). */
export function pruneCallTimes(callTimes: number[], now: number): number[] {
  const cutoff = now - HOUR_MS;
  let i = 0;
  while (i < callTimes.length && callTimes[i] <= cutoff) i++;
  return i === 0 ? callTimes : callTimes.slice(i);
}

/** Create-call retries: how many attempts in all, and the backoff between them. */
export const CREATE_ATTEMPTS = 5;

export function createRetryDelay(
  attempt: number,
  policy: PollPolicy = DEFAULT_POLL_POLICY,
): number {
  // Slower than Get retries: a lost create response usually means a struggling frontend.
  return Math.min(policy.retryMaxMs, 2 * policy.retryBaseMs * 2 ** Math.max(0, attempt - 1));
}
