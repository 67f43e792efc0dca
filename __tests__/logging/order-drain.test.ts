// The log follower against the logging emulator with lines that arrive out of order and pages
// that overlap: each replica prints in timestamp order for entries up to 10 s late, and after
// the job's end its last line is out, and the drain over, within 30 s. Times are job time.
import type { LoggingEmulator } from '../../emulators/logging/emulator.ts';
import { steadyScript, type LogScript } from '../../emulators/logging/scripts.ts';
import { follow, jobIdOf, jobName, linesOf, sleep, startEmulator, TIME_SCALE } from './helpers.ts';

let emulator: LoggingEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});
beforeEach(() => emulator.reset());

/** Job time (s) to real ms at `scale`. */
const real = (seconds: number, scale = TIME_SCALE) => seconds * 1000 * scale;

/** Two replicas, a line every 2 s for `seconds`, each line late by its replica's range (s). */
function twoReplicas(
  seconds: number,
  late: [number, number][],
  scale = TIME_SCALE,
  bursts: { atMs: number; lines: number }[] = [],
): LogScript {
  return steadyScript({
    replicas: {
      'workerpool0-0': [real(late[0][0], scale), real(late[0][1], scale)],
      'workerpool0-1': [real(late[1][0], scale), real(late[1][1], scale)],
    },
    everyMs: real(2, scale),
    fromMs: real(1, scale),
    untilMs: real(seconds, scale),
    bursts,
  });
}

/** Lines of a replica that became visible after a later line of the same replica. */
function arrivingOutOfOrder(jobId: string): number {
  const entries = emulator.entries(jobId);
  const replica = (e: (typeof entries)[number]) => e.resource.labels.task_name;
  return entries.filter((a) =>
    entries.some(
      (b) => replica(b) === replica(a) && b.timeMs > a.timeMs && b.visibleMs < a.visibleMs,
    ),
  ).length;
}

const indexes = (lines: string[], r: number) => lines.map((l) => Number(l.slice(`r${r}-`.length)));
const ascending = (xs: number[]) => xs.every((x, i) => i === 0 || x === xs[i - 1] + 1);

test.each([
  ['both replicas 4-8 s late', [4, 8] as [number, number], [4, 8] as [number, number]],
  [
    'one replica 4-8 s late, the other up to 10 s',
    [4, 8] as [number, number],
    [0, 10] as [number, number],
  ],
])('%s: every line once, each replica in timestamp order, none marked late', async (_, a, b) => {
  const name = jobName();
  // Three minutes of writing: past the first minute, the hold follows the lateness seen.
  emulator.script(jobIdOf(name), twoReplicas(180, [a, b]), Date.now());
  // The scenario does reorder lines: many arrive after a later line of their replica.
  expect(arrivingOutOfOrder(jobIdOf(name))).toBeGreaterThan(20);
  const { follower, printed } = follow(emulator, name);
  await sleep(real(180 + 10) + 50);
  const result = await follower.finish({ drain: true, endTime: new Date().toISOString() });
  const written = emulator.entries(jobIdOf(name)).length;
  expect(printed).toHaveLength(written);
  expect(printed.filter((l) => l.includes(', late: '))).toEqual([]);
  for (const r of [0, 1]) {
    const mine = indexes(linesOf(printed, `workerpool0-${r}`), r);
    expect(mine[0]).toBe(0);
    expect(ascending(mine)).toBe(true);
  }
  expect(result).toMatchObject({ status: 'read', lines: written, lateLines: 0 });
});

test('overlapping pages: the last line within 30 s of the end, and the drain over then', async () => {
  // A slower clock than the other tests: 30 s of job time are 900 ms here.
  const scale = 0.03;
  // Pages of 30 entries, each repeating the previous page's last 5: a read of more than 20 s of
  // output, or of a burst of 30 lines (at 30 s), takes two pages or more.
  emulator.faults({ maxPageSize: 30, pageOverlap: 5 });
  const name = jobName();
  const start = Date.now();
  const bursts = [{ atMs: real(30, scale), lines: 30 }];
  const late: [number, number][] = [
    [1, 3],
    [1, 3],
  ];
  emulator.script(jobIdOf(name), twoReplicas(120, late, scale, bursts), start);
  const endMs = start + real(121, scale);
  const times: number[] = [];
  const { follower, printed } = follow(emulator, name, {
    timeScale: scale,
    print: (lines) => {
      printed.push(...lines);
      times.push(...lines.map(() => Date.now()));
    },
  });
  // The end is seen a poll later, 5 s.
  await sleep(endMs + real(5, scale) - Date.now());
  const result = await follower.finish({ drain: true, endTime: new Date(endMs).toISOString() });
  const drainedAt = Date.now();
  const written = emulator.entries(jobIdOf(name)).length;
  expect(printed).toHaveLength(written);
  expect(result.lateLines).toBe(0);
  const lists = emulator.calls().filter((c) => c.method === 'ListLogEntries');
  const jobSeconds = (ms: number) => ms / scale / 1000;
  // Reads did take several pages, and the pages did repeat entries.
  expect(lists.filter((c) => c.request.pageToken).length).toBeGreaterThanOrEqual(2);
  expect(jobSeconds(Math.max(...times) - endMs)).toBeLessThanOrEqual(30);
  expect(jobSeconds(drainedAt - endMs)).toBeLessThanOrEqual(30);
});
