// The pure core of following logs: the read budget, dedupe and ordering (late lines held or
// marked), the query window, and the failed replica's excerpt.
import { orderKey, type JobLogEntry } from '../../src/core/logs/entry.ts';
import { errorLine, ExcerptTracker } from '../../src/core/logs/excerpt.ts';
import { jobLogFilter } from '../../src/core/logs/filter.ts';
import { LogOrdering } from '../../src/core/logs/ordering.ts';
import {
  budgetWait,
  CLOUD_LOGGING_LIMITS,
  DEFAULT_LOG_READ_POLICY as P,
  nextReadDelay,
  scalePolicy,
} from '../../src/core/logs/pacing.ts';

let n = 0;
function entry(
  replica: string,
  timeMs: number,
  text: string,
  extra: Partial<JobLogEntry> = {},
): JobLogEntry {
  const id = `i${String(++n).padStart(5, '0')}`;
  const order = orderKey(Math.floor(timeMs / 1000), (timeMs % 1000) * 1e6, id);
  return {
    key: `log\u0000${order}`,
    order,
    timeMs,
    receiveMs: timeMs + 500,
    replica,
    severity: 'INFO',
    text,
    ...extra,
  };
}
const noRandom = () => 0.5;

describe('pacing', () => {
  test('following one job costs 5 reads a minute; ten legs stay under the project quota', () => {
    const perMinute = 60_000 / P.intervalMs;
    expect(perMinute).toBe(5);
    expect(10 * perMinute).toBeLessThan(CLOUD_LOGGING_LIMITS.listRequestsPerMinutePerProject);
    // Every call counts toward the cap, so ten legs can never pass 50 a minute together.
    expect(10 * P.maxCallsPerMinute).toBeLessThan(
      CLOUD_LOGGING_LIMITS.listRequestsPerMinutePerProject,
    );
  });

  test('a completed read waits the interval; a full page the page interval; failures back off', () => {
    expect(nextReadDelay('done', 0, 0, [0], P, noRandom)).toBe(12_000);
    expect(nextReadDelay('more-pages', 0, 0, [0], P, noRandom)).toBe(3_000);
    // ... unless the minute's budget is spent: then when the oldest call leaves it.
    expect(
      nextReadDelay('more-pages', 0, 50_000, [0, 12_000, 24_000, 36_000, 48_000], P, noRandom),
    ).toBe(10_000);
    expect(nextReadDelay('exhausted', 1, 0, [0], P, noRandom)).toBe(15_000);
    expect(nextReadDelay('exhausted', 2, 0, [0], P, noRandom)).toBe(30_000);
    expect(nextReadDelay('transient', 9, 0, [0], P, noRandom)).toBe(120_000);
    // Jitter: +-10%.
    expect(nextReadDelay('done', 0, 0, [0], P, () => 0)).toBeCloseTo(10_800);
    expect(nextReadDelay('done', 0, 0, [0], P, () => 0.999999)).toBeCloseTo(13_200, 0);
  });

  test('no rolling minute ever holds more than maxCallsPerMinute calls', () => {
    const calls: number[] = [];
    let now = 0;
    for (let i = 0; i < 200; i++) {
      calls.push(now);
      now += nextReadDelay('more-pages', 0, now, calls, P, noRandom);
    }
    for (const t of calls) {
      const inMinute = calls.filter((c) => c >= t && c < t + 60_000).length;
      expect(inMinute).toBeLessThanOrEqual(P.maxCallsPerMinute);
    }
    expect(budgetWait(0, [], P)).toBe(0);
  });

  test('scaling shrinks durations and keeps counts', () => {
    const s = scalePolicy(P, 0.01);
    expect(s.intervalMs).toBeCloseTo(120);
    expect(s.minuteMs).toBeCloseTo(600);
    expect(s.maxCallsPerMinute).toBe(P.maxCallsPerMinute);
    expect(s.pageSize).toBe(1000);
  });
});

describe('filter', () => {
  test('ml_job, the job id, a timestamp bound, and receiveTimestamp when given; quotes escaped', () => {
    expect(jobLogFilter({ jobId: '123', sinceMs: Date.UTC(2024, 0, 1) })).toBe(
      'resource.type="ml_job" AND resource.labels.job_id="123" AND timestamp>="2024-01-01T00:00:00.000Z"',
    );
    expect(
      jobLogFilter({ jobId: 'a"b', sinceMs: 0, receivedSinceMs: Date.UTC(2024, 0, 1, 0, 0, 5) }),
    ).toBe(
      'resource.type="ml_job" AND resource.labels.job_id="a\\"b" AND timestamp>="1970-01-01T00:00:00.000Z" AND receiveTimestamp>="2024-01-01T00:00:05.000Z"',
    );
  });
});

describe('ordering', () => {
  test('duplicates are dropped; lines wait for a read that started the hold after them', () => {
    const o = new LogOrdering('1', 0, P);
    const a = entry('w0', 10_000, 'a');
    const b = entry('w0', 11_000, 'b');
    expect(o.add([a, b, a], 11_600)).toBe(2);
    expect(o.add([b], 11_700)).toBe(0);
    // The first minute's hold is the longest, 12 s: a read started at 22.5 s vouches for a only.
    expect(o.release(22_500).map((r) => r.entry.text)).toEqual(['a']);
    expect(o.release(23_100).map((r) => r.entry.text)).toEqual(['b']);
  });

  test('a late line that arrives before the hold ends sorts in; one after is marked late', () => {
    const o = new LogOrdering('1', 0, P);
    o.add([entry('w0', 10_000, 'first'), entry('w0', 12_000, 'third')], 12_500);
    o.add([entry('w0', 11_000, 'second', { receiveMs: 13_000 })], 13_100);
    expect(o.release(24_000).map((r) => [r.entry.text, r.late])).toEqual([
      ['first', false],
      ['second', false],
      ['third', false],
    ]);
    o.add([entry('w0', 11_500, 'very late', { receiveMs: 40_000 })], 40_000);
    expect(o.flush().map((r) => [r.entry.text, r.late])).toEqual([['very late', true]]);
  });

  test('the hold: the longest for the first minute, then the lateness seen lately plus a margin', () => {
    const o = new LogOrdering('1', 0, P);
    expect(o.holdMs(0)).toBe(12_000);
    o.add([entry('w0', 10_000, 'a', { receiveMs: 10_500 })], 10_600);
    expect(o.holdMs(60_000)).toBe(12_000);
    // A minute after the first entry: 0.5 s late at most, so the least hold.
    expect(o.holdMs(70_700)).toBe(3_000);
    // Lines 4-8 s late: 8 s plus the 2 s margin.
    o.add([entry('w1', 80_000, 'b', { receiveMs: 84_000 })], 85_000);
    o.add([entry('w1', 81_000, 'c', { receiveMs: 89_000 })], 90_000);
    expect(o.holdMs(90_000)).toBe(10_000);
    // Never beyond 12 s: a line 30 s late is printed, marked late.
    o.add([entry('w0', 60_000, 'd', { receiveMs: 95_000 })], 95_000);
    expect(o.holdMs(95_000)).toBe(12_000);
    // Lateness older than five minutes no longer counts.
    expect(o.holdMs(396_000)).toBe(3_000);
  });

  test('pages in timestamp order: a line prints once a later page of its read is in', () => {
    const o = new LogOrdering('1', 0, P);
    o.add([entry('w0', 10_000, 'a'), entry('w0', 11_000, 'b')], 11_600);
    // Past the hold, but b is the newest of the pages so far: its equals may be on the next page.
    expect(o.release(30_000, 11_000).map((r) => r.entry.text)).toEqual(['a']);
    // What the reads so far vouch for: up to the page's newest, then the read's cutoff.
    expect(o.vouchedMs).toBe(11_000);
    expect(o.release(30_000).map((r) => r.entry.text)).toEqual(['b']);
    expect(o.vouchedMs).toBe(30_000 - 12_000);
  });

  test('windows: from the job start, then by receive time less the margin', () => {
    const o = new LogOrdering('7', 1_000_000, P);
    expect(o.window()).toEqual({ jobId: '7', sinceMs: 1_000_000 });
    o.add([entry('w0', 2_000_000, 'a', { receiveMs: 2_000_400 })], 2_000_500);
    // The cursor moves only when a read is complete.
    expect(o.window()).toEqual({ jobId: '7', sinceMs: 1_000_000 });
    o.completeRead();
    expect(o.window()).toEqual({
      jobId: '7',
      sinceMs: 2_000_400 - P.lateLimitMs,
      receivedSinceMs: 2_000_400 - P.receiveMarginMs,
    });
  });
});

describe('excerpt', () => {
  const line = (text: string, error = false) => ({ order: '', text, error });

  test('the exception line ends the last traceback; else an error-looking ERROR line; else the last ERROR', () => {
    expect(
      errorLine([
        line('Traceback (most recent call last):', true),
        line('  File "a.py", line 1, in <module>', true),
        line('    f()', true),
        line('ValueError: first', true),
        line(''),
        line('During handling of the above exception, another exception occurred:', true),
        line('Traceback (most recent call last):', true),
        line('  File "a.py", line 3, in <module>', true),
        line('RuntimeError: second', true),
      ]),
    ).toEqual({ text: 'RuntimeError: second', strength: 3 });
    expect(errorLine([line('fatal: could not read file', true), line(' 45%|####', true)])).toEqual({
      text: 'fatal: could not read file',
      strength: 2,
    });
    expect(errorLine([line(' 45%|####', true), line('ok')])).toEqual({
      text: '45%|####',
      strength: 1,
    });
    expect(errorLine([line('ok')])).toBeUndefined();
  });

  test('the replica with the traceback wins over the one that wrote last; the service voice never wins', () => {
    const t = new ExcerptTracker();
    t.record(
      entry('workerpool0-0', 1_000, 'Traceback (most recent call last):', { severity: 'ERROR' }),
    );
    t.record(
      entry('workerpool0-0', 1_001, '  File "x.py"\nOSError: disk full', { severity: 'ERROR' }),
    );
    t.record(entry('workerpool0-1', 2_000, 'error: lost peer', { severity: 'ERROR' }));
    t.record(entry('job', 3_000, 'Job failed.', { severity: 'ERROR' }));
    const e = t.excerpt();
    expect(e).toEqual({
      replica: 'workerpool0-0',
      lines: ['Traceback (most recent call last):', '  File "x.py"', 'OSError: disk full'],
      errorLine: 'OSError: disk full',
    });
  });

  test('same kind of error: the last replica to write; at most 30 lines, long lines cut, secrets redacted', () => {
    const t = new ExcerptTracker();
    for (let i = 0; i < 50; i++)
      t.record(entry('w0', 1_000 + i, `w0 ${i} TOKEN`, { severity: 'ERROR' }));
    t.record(entry('w1', 5_000, `failed ${'x'.repeat(900)}`, { severity: 'ERROR' }));
    t.record(entry('w0', 1_010, 'late line'));
    const e = t.excerpt((s) => s.replace('TOKEN', '***'))!;
    expect(e.replica).toBe('w1');
    expect(e.lines[0].length).toBe(500);
    const w0 = new ExcerptTracker();
    for (let i = 0; i < 50; i++) w0.record(entry('w0', 1_000 + i, `line ${i} TOKEN`));
    const x = w0.excerpt((s) => s.replace('TOKEN', '***'))!;
    expect(x.lines).toHaveLength(30);
    expect(x.lines[0]).toBe('line 20 ***');
    expect(x.earlierLinesOmitted).toBe(true);
    expect(x.errorLine).toBeUndefined();
  });
});
