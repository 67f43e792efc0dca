// The log follower's decisions, pure: what a failed read means, when to read next, and when
// the drain after the job's end is over. The follower (src/logging/follow.ts) supplies the
// clock and what its reader has done; what to print is ordering.ts's part.

import { budgetWait, nextReadDelay, type LogReadPolicy, type ReadOutcome } from './pacing.ts';

/**
 * `denied`: stop with the role to grant; `fatal`: stop, the request or the set-up is wrong;
 * `exhausted`: the project's read quota is used up for now; `transient`: try again later.
 */
export type FailureKind = 'denied' | 'fatal' | 'exhausted' | 'transient';

const TRANSIENT = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'INTERNAL', 'UNKNOWN', 'ABORTED']);

/** A failed ListLogEntries call by its status code name. */
export function failureKind(code: string): FailureKind {
  if (code === 'PERMISSION_DENIED') return 'denied';
  if (code === 'RESOURCE_EXHAUSTED') return 'exhausted';
  return TRANSIENT.has(code) ? 'transient' : 'fatal';
}

/** Any refusal is an answer from Cloud Logging; a connection that fails or times out is not. */
export function isAnswer(code: string): boolean {
  return code !== 'UNAVAILABLE' && code !== 'DEADLINE_EXCEEDED';
}

/** Following has stopped: how, and until when the job's last lines are read. */
export interface StopPlan {
  drain: boolean;
  /** When following stopped. */
  sinceMs: number;
  /** A complete read that starts at or after this has the job's last lines. */
  untilMs: number;
  /** Past this, one complete read that started after `sinceMs` is enough. */
  deadlineMs: number;
}

/**
 * The job's last lines were written by its end and are visible `hold` later at most (the hold
 * is the lateness seen, see ordering.ts): one complete read that starts then has them all,
 * however many pages it takes and whatever they repeat. Without an end time: a read that
 * starts now.
 */
export function stopPlan(
  how: { drain: boolean; endTime?: string },
  nowMs: number,
  holdMs: number,
  policy: LogReadPolicy,
): StopPlan {
  const endMs = how.endTime ? Date.parse(how.endTime) : NaN;
  return {
    drain: how.drain,
    sinceMs: nowMs,
    untilMs: Number.isFinite(endMs) ? endMs + holdMs : nowMs,
    deadlineMs: nowMs + policy.drainMaxMs,
  };
}

/** `over`: every line is in; `give-up`: reads kept failing or were too slow; else read on. */
export type DrainVerdict = 'over' | 'give-up' | 'read-on';

/**
 * `lastCompleteStartMs`: when the newest read whose every page is in started. Not draining,
 * it is over at once.
 */
export function drainVerdict(
  plan: StopPlan,
  lastCompleteStartMs: number | undefined,
  nowMs: number,
  policy: LogReadPolicy,
): DrainVerdict {
  if (!plan.drain) return 'over';
  const last = lastCompleteStartMs ?? -Infinity;
  if (last >= plan.untilMs) return 'over';
  if (last >= plan.sinceMs && nowMs >= plan.deadlineMs) return 'over';
  if (nowMs >= plan.deadlineMs + policy.drainMaxMs) return 'give-up';
  return 'read-on';
}

/**
 * The wait before the next call. Draining, reading pauses until `untilMs`, when the last read
 * (newest first, see src/logging/reader.ts) starts as soon as the budget allows: reads before
 * it cannot conclude and would spend calls it needs.
 */
export function followWait(
  outcome: ReadOutcome,
  failures: number,
  nowMs: number,
  callTimes: number[],
  policy: LogReadPolicy,
  random: () => number,
  plan?: StopPlan,
): number {
  const paced = nextReadDelay(outcome, failures, nowMs, callTimes, policy, random);
  if (!plan?.drain || outcome === 'exhausted' || outcome === 'transient') return paced;
  const toUntil = plan.untilMs - nowMs;
  return toUntil > 0 ? toUntil + budgetWait(plan.untilMs, callTimes, policy) : paced;
}
