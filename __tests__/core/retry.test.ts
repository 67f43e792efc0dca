import {
  backoffDelay,
  DEFAULT_JITTER,
  exponential,
  jitter,
  jittered,
  listed,
  nextWait,
} from '../../src/core/retry.ts';
import { retry } from '../../src/retry/index.ts';

/** A seeded generator, so spreads can be sampled reproducibly. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1_103_515_245 + 12_345) % 2 ** 31), x / 2 ** 31);
}

describe('backoff', () => {
  test('doubles from the first wait and stops at the cap', () => {
    const b = { firstMs: 1_000, maxMs: 30_000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, b))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
    expect(backoffDelay(0, b)).toBe(1_000);
    expect(backoffDelay(3, { firstMs: 250, factor: 3, maxMs: 10_000 })).toBe(2_250);
  });

  test('listed waits run out', () => {
    const s = listed([5, 10]);
    expect([1, 2, 3].map((n) => s(n, undefined))).toEqual([5, 10, undefined]);
  });
});

describe('jitter', () => {
  test('stays within the spread: the ends at random 0 and just under 1', () => {
    expect(jitter(1_000, 0.5, () => 0)).toBe(500);
    expect(jitter(1_000, 0.5, () => 0.999_999)).toBeCloseTo(1_500, 1);
    expect(jitter(1_000, 0, () => 0.7)).toBe(1_000);
    // A spread beyond 1 would allow negative waits: it is held at 1.
    expect(jitter(1_000, 3, () => 0)).toBe(0);
  });

  test('keeps the mean: jittered waits average to the plain ones', () => {
    const random = lcg(7);
    const n = 20_000;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const ms = jitter(2_000, DEFAULT_JITTER, random);
      sum += ms;
      min = Math.min(min, ms);
      max = Math.max(max, ms);
    }
    expect(Math.abs(sum / n - 2_000)).toBeLessThan(10);
    expect(min).toBeGreaterThanOrEqual(1_600);
    expect(max).toBeLessThan(2_400);
  });

  test('a jittered schedule leaves "no more" and immediate retries alone', () => {
    const s = jittered(
      (n) => [0, 100][n - 1],
      0.5,
      () => 0,
    );
    expect([1, 2, 3].map((n) => s(n, undefined))).toEqual([0, 50, undefined]);
  });
});

describe('budget', () => {
  const every100 = exponential({ firstMs: 100, factor: 1, maxMs: 100 });

  test('attempts: no wait after the last allowed attempt', () => {
    expect(nextWait(every100, { attempts: 3 }, 2, 0, undefined)).toBe(100);
    expect(nextWait(every100, { attempts: 3 }, 3, 0, undefined)).toBeUndefined();
  });

  test('total time: no wait starts once it is spent; an immediate retry still may', () => {
    expect(nextWait(every100, { totalMs: 1_000 }, 9, 1_000, undefined)).toBe(100);
    expect(nextWait(every100, { totalMs: 1_000 }, 9, 1_001, undefined)).toBeUndefined();
    expect(nextWait(() => 0, { totalMs: 1_000 }, 9, 5_000, undefined)).toBe(0);
  });

  test('the schedule running out ends it too', () => {
    expect(nextWait(listed([1]), {}, 2, 0, undefined)).toBeUndefined();
  });
});

describe('retry', () => {
  const failing = (failures: number, error: unknown = new Error('flaky')) => {
    let calls = 0;
    const op = async (attempt: number) => {
      calls++;
      if (attempt <= failures) throw error;
      return `ok after ${attempt}`;
    };
    return { op, calls: () => calls };
  };

  test('retries what the predicate allows, waiting as scheduled and scaled', async () => {
    const waits: number[] = [];
    const retried: number[] = [];
    const { op, calls } = failing(2);
    await expect(
      retry(op, {
        retryable: () => true,
        schedule: exponential({ firstMs: 100, maxMs: 1_000 }),
        budget: { attempts: 5 },
        onRetry: (_e, failures) => void retried.push(failures),
        sleep: async (ms) => void waits.push(ms),
        timeScale: 0.5,
      }),
    ).resolves.toBe('ok after 3');
    expect(calls()).toBe(3);
    expect(retried).toEqual([1, 2]);
    expect(waits).toEqual([50, 100]);
  });

  test('throws the failure as it came when not retryable, or out of budget', async () => {
    const refused = new Error('refused');
    const one = failing(1, refused);
    await expect(
      retry(one.op, { retryable: () => false, schedule: () => 0, sleep: async () => {} }),
    ).rejects.toBe(refused);
    expect(one.calls()).toBe(1);

    const many = failing(10);
    await expect(
      retry(many.op, {
        retryable: () => true,
        schedule: () => 0,
        budget: { attempts: 4 },
        sleep: async () => {},
      }),
    ).rejects.toThrow('flaky');
    expect(many.calls()).toBe(4);
  });

  test('total time is measured on the given clock', async () => {
    let t = 0;
    const { op, calls } = failing(100);
    await expect(
      retry(op, {
        retryable: () => true,
        schedule: () => 300,
        budget: { totalMs: 1_000 },
        now: () => t,
        sleep: async (ms) => void (t += ms),
      }),
    ).rejects.toThrow('flaky');
    // Waits start at 0, 300, 600 and 900 ms; at 1200 ms the budget is spent.
    expect(calls()).toBe(5);
  });

  test('an aborted signal ends the retries', async () => {
    const abort = new AbortController();
    const { op, calls } = failing(5);
    await expect(
      retry(op, {
        retryable: () => true,
        schedule: () => 10,
        signal: abort.signal,
        sleep: async () => abort.abort(),
      }),
    ).rejects.toThrow('flaky');
    expect(calls()).toBe(2);
  });
});
