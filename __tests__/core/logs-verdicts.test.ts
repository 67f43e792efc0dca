// The log follower's pure decisions: what a failed read means, when the drain after the job's
// end is over, and when to read while draining.
import { DEFAULT_LOG_READ_POLICY as P } from '../../src/core/logs/pacing.ts';
import {
  drainVerdict,
  failureKind,
  followWait,
  isAnswer,
  stopPlan,
} from '../../src/core/logs/verdicts.ts';

const noRandom = () => 0.5;
const END = '2026-01-01T00:00:00.000Z';
const endMs = Date.parse(END);

test('failures: denied, exhausted and transient ones by code; anything else stops reading', () => {
  expect(failureKind('PERMISSION_DENIED')).toBe('denied');
  expect(failureKind('RESOURCE_EXHAUSTED')).toBe('exhausted');
  expect(failureKind('UNAVAILABLE')).toBe('transient');
  expect(failureKind('INVALID_ARGUMENT')).toBe('fatal');
  expect(failureKind('a client error')).toBe('fatal');
  expect(isAnswer('RESOURCE_EXHAUSTED')).toBe(true);
  expect(isAnswer('DEADLINE_EXCEEDED')).toBe(false);
});

test('the drain: over once a complete read started the hold after the end; else give up in time', () => {
  // The job ended at END; following stopped 5 s later with a 10 s hold.
  const plan = stopPlan({ drain: true, endTime: END }, endMs + 5_000, 10_000, P);
  expect(plan.untilMs).toBe(endMs + 10_000);
  expect(drainVerdict(plan, endMs + 9_000, endMs + 12_000, P)).toBe('read-on');
  expect(drainVerdict(plan, endMs + 10_000, endMs + 12_000, P)).toBe('over');
  // Past the deadline, a complete read that started after following stopped is enough.
  expect(drainVerdict(plan, endMs + 6_000, endMs + 65_000, P)).toBe('over');
  expect(drainVerdict(plan, endMs + 4_000, endMs + 126_000, P)).toBe('give-up');
  expect(drainVerdict(stopPlan({ drain: false }, 0, 10_000, P), undefined, 0, P)).toBe('over');
});

test('draining: no read before the last one is due, then as soon as the budget allows', () => {
  const plan = stopPlan({ drain: true, endTime: END }, endMs + 2_000, 10_000, P);
  const now = endMs + 2_000;
  expect(followWait('done', 0, now, [now - 1_000], P, noRandom, plan)).toBe(8_000);
  expect(followWait('more-pages', 0, now, [now - 1_000], P, noRandom, plan)).toBe(8_000);
  // Five calls in the minute before the last read is due: it waits for the oldest to leave.
  const calls = [-50_000, -40_000, -30_000, -20_000, -1_000].map((t) => now + t);
  expect(followWait('done', 0, now, calls, P, noRandom, plan)).toBe(10_000);
  // Its own pages are paced as any read's.
  const later = endMs + 11_000;
  expect(followWait('more-pages', 0, later, [later], P, noRandom, plan)).toBe(P.pageIntervalMs);
  // Failures back off as always.
  expect(followWait('transient', 1, now, [now], P, noRandom, plan)).toBe(P.backoffBaseMs);
});
