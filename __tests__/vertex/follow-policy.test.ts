import { describe, expect, test } from '@jest/globals';
import {
  budgetDelay,
  createRetryDelay,
  CREATE_ATTEMPTS,
  DEFAULT_POLL_POLICY as P,
  HOUR_MS,
  nextPoll,
  nextRetry,
  pollDelay,
  pruneCallTimes,
  retryDelay,
} from '../../src/core/follow-policy.ts';

/** Replays the follow loop's use of the policy against a scripted state, returning call times. */
function simulate(
  stateAt: (t: number) => string,
  durationMs: number,
  getLatencyMs = 200,
): number[] {
  const all: number[] = [];
  let window: number[] = [];
  let pace: number | undefined;
  let last: string | undefined;
  for (let t = 0; t < durationMs;) {
    window = pruneCallTimes(window, t);
    window.push(t);
    all.push(t);
    t += getLatencyMs;
    const state = stateAt(t);
    const next = nextPoll(pace, state !== last, t, window, P);
    last = state;
    pace = next.paceMs;
    t += next.waitMs;
  }
  return all;
}

/** The most calls in any rolling hour (each window starts at a call). */
function maxPerHour(calls: number[]): number {
  let best = 0;
  for (let i = 0, j = 0; i < calls.length; i++) {
    while (j < calls.length && calls[j] < calls[i] + HOUR_MS) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

describe('pacing', () => {
  test('quick after a change, growing by the factor while unchanged, capped at the maximum', () => {
    expect(pollDelay(undefined, false, P)).toBe(5_000);
    const seq: number[] = [];
    let d: number | undefined = pollDelay(undefined, true, P);
    for (let i = 0; i < 9; i++) {
      seq.push(Math.round(d));
      d = pollDelay(d, false, P);
    }
    expect(seq).toEqual([5000, 7500, 11250, 16875, 25313, 30000, 30000, 30000, 30000]);
    expect(pollDelay(30_000, true, P)).toBe(5_000);
  });

  test('transient-error retries double from 1 s up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelay(n, P))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
  });

  test('create retries back off from 2 s and fit in about half a minute overall', () => {
    const waits = Array.from({ length: CREATE_ATTEMPTS }, (_, i) => createRetryDelay(i + 1));
    expect(waits).toEqual([2000, 4000, 8000, 16000, 30000]);
  });
});

describe('hourly budget', () => {
  test('budgetDelay is zero under the budget and waits for the oldest call to leave the hour', () => {
    const max = P.maxCallsPerHour;
    const calls = Array.from({ length: max - 1 }, (_, i) => i * 1000);
    expect(budgetDelay(200_000, calls, P)).toBe(0);
    calls.push((max - 1) * 1000);
    // A full budget in the last hour: the next may go when calls[0] (t=0) is an hour old.
    expect(budgetDelay(200_000, calls, P)).toBe(HOUR_MS - 200_000);
    expect(nextRetry(1, 200_000, calls, P)).toBe(HOUR_MS - 200_000);
  });

  test('a job that never changes costs one Get every 30 s and never more than the budget', () => {
    const calls = simulate(() => 'JOB_STATE_RUNNING', 5 * HOUR_MS);
    // The first hour adds the quick start's few polls; any later hour is 120 (one per 30 s).
    expect(maxPerHour(calls)).toBeLessThanOrEqual(P.maxCallsPerHour);
    const lastHour = calls.filter((t) => t >= 4 * HOUR_MS).length;
    expect(lastHour).toBeGreaterThanOrEqual(119);
    expect(lastHour).toBeLessThanOrEqual(120);
    // No wait is ever longer than the 30 s cap (plus the Get's own 200 ms in the simulation):
    // a job that ends is seen within 30 s.
    const gaps = calls.slice(1).map((t, i) => t - calls[i]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(P.maxMs + 200);
  });

  test('a real lifecycle (queued, pending, running for hours) stays within the budget', () => {
    const calls = simulate(
      (t) =>
        t < 60_000
          ? 'QUEUED'
          : t < 10 * 60_000
            ? 'PENDING'
            : t < 10 * HOUR_MS
              ? 'RUNNING'
              : 'SUCCEEDED',
      6 * HOUR_MS,
    );
    expect(maxPerHour(calls)).toBeLessThanOrEqual(P.maxCallsPerHour);
    // State changes are seen quickly: the poll after the PENDING -> RUNNING change is within 60 s.
    expect(calls.some((t) => t >= 10 * 60_000 && t <= 11 * 60_000)).toBe(true);
  });

  test('a job whose state flaps on every poll is held to exactly the budget', () => {
    let flip = 0;
    const calls = simulate(() => (flip++ % 2 ? 'RUNNING' : 'PAUSED'), 4 * HOUR_MS);
    expect(maxPerHour(calls)).toBe(P.maxCallsPerHour);
    expect(calls.length).toBeLessThanOrEqual(4 * P.maxCallsPerHour + 1);
  });

  test('pruneCallTimes keeps only the last hour', () => {
    expect(pruneCallTimes([0, 1000, HOUR_MS, HOUR_MS + 5], HOUR_MS + 1000)).toEqual([
      HOUR_MS,
      HOUR_MS + 5,
    ]);
    const same = [5, 6];
    expect(pruneCallTimes(same, 10)).toBe(same);
  });
});
