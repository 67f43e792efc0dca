// How long to wait before trying a failed call again, and when to stop. Pure: the runner
// (src/retry/) supplies the clock, the randomness and the sleep, so the arithmetic is tested
// on its own.

/** The wait before the next attempt after `failures` (>= 1) failures in a row; undefined: no more. */
export type DelaySchedule = (failures: number, error: unknown) => number | undefined;

export interface Backoff {
  /** The wait after the first failure. */
  firstMs: number;
  /** Applied once per further failure; 2 unless said. */
  factor?: number;
  /** No wait is longer than this. */
  maxMs: number;
}

/** How much a retried call may use: attempts in all (the first included), time since the first. */
export interface Budget {
  attempts?: number;
  /** Once this much time has passed since the first attempt, no further wait starts. */
  totalMs?: number;
}

/** The spread used by loops that jitter their waits: each wait lies within ±20% of its mean. */
export const DEFAULT_JITTER = 0.2;

/** Exponential backoff: `firstMs`, then `factor` times more per failure, capped at `maxMs`. */
export function backoffDelay(failures: number, b: Backoff): number {
  const n = Math.max(1, failures);
  return Math.min(b.maxMs, b.firstMs * (b.factor ?? 2) ** (n - 1));
}

/**
 * `ms` moved uniformly within ±`spread` of itself (`random` in [0, 1)). The mean stays `ms`, so
 * jittered waits add up, on average, to the plain ones; callers that collide once do not
 * collide again in step.
 */
export function jitter(ms: number, spread: number, random: () => number): number {
  const s = Math.min(1, Math.max(0, spread));
  return ms * (1 - s + 2 * s * random());
}

/** Exponential backoff as a schedule; unbounded (a budget bounds it). */
export function exponential(b: Backoff): DelaySchedule {
  return (failures) => backoffDelay(failures, b);
}

/** The given waits in turn, then no more. */
export function listed(waits: readonly number[]): DelaySchedule {
  return (failures) => waits[failures - 1];
}

/** `schedule` with each wait jittered by `spread` (a wait of 0 stays 0). */
export function jittered(
  schedule: DelaySchedule,
  spread: number,
  random: () => number = Math.random,
): DelaySchedule {
  return (failures, error) => {
    const ms = schedule(failures, error);
    return ms === undefined || ms === 0 ? ms : jitter(ms, spread, random);
  };
}

/**
 * The wait before another attempt after `failures` failures `elapsedMs` after the first
 * attempt began, or undefined when the schedule or the budget says to stop.
 */
export function nextWait(
  schedule: DelaySchedule,
  budget: Budget,
  failures: number,
  elapsedMs: number,
  error: unknown,
): number | undefined {
  if (budget.attempts !== undefined && failures >= budget.attempts) return undefined;
  const ms = schedule(failures, error);
  if (ms === undefined) return undefined;
  // An immediate retry spends no time; only a wait is refused once the time is spent.
  if (budget.totalMs !== undefined && ms > 0 && elapsedMs > budget.totalMs) return undefined;
  return Math.max(0, ms);
}
