// The log follower on the real LoggingServiceV2Client against the logging emulator: every line
// printed once, oldest first, each replica in order, whatever the pages and the lateness;
// denied reads are one warning naming roles/logging.viewer; RESOURCE_EXHAUSTED slows reading
// down and loses nothing.
import type { LoggingEmulator } from '../../emulators/logging/emulator.ts';
import type { ScriptedEntry } from '../../emulators/logging/scripts.ts';
import { follow, jobIdOf, jobName, linesOf, sleep, startEmulator } from './helpers.ts';

let emulator: LoggingEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});
beforeEach(() => emulator.reset());

/** `n` lines per replica, interleaved, 10 ms apart, from 50 ms after the script starts. */
function interleaved(
  replicas: string[],
  n: number,
  lateMs: (i: number) => number,
): ScriptedEntry[] {
  const entries: ScriptedEntry[] = [];
  for (let i = 0; i < n; i++)
    for (const [r, replica] of replicas.entries())
      entries.push({
        at: 50 + (i * replicas.length + r) * 5,
        replica,
        text: `line ${i}`,
        lateMs: lateMs(i),
      });
  return entries;
}

const expected = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}`);

async function untilVisible(name: string): Promise<void> {
  const last = Math.max(...emulator.entries(jobIdOf(name)).map((e) => e.visibleMs));
  await sleep(Math.max(0, last - Date.now()) + 20);
}

test('two replicas interleaved: every line printed exactly once, oldest first, each replica in order', async () => {
  const name = jobName();
  emulator.script(jobIdOf(name), {
    entries: interleaved(['workerpool0-0', 'workerpool0-1'], 30, (i) => (i * 7) % 20),
  });
  const { follower, printed, log } = follow(emulator, name);
  await untilVisible(name);
  // Printed while the job runs, not only at the end.
  for (let waited = 0; printed.length === 0 && waited < 10_000; waited += 50) await sleep(50);
  expect(printed.length).toBeGreaterThan(0);
  const result = await follower.finish({ drain: true, endTime: new Date().toISOString() });

  expect(linesOf(printed, 'workerpool0-0')).toEqual(expected(30));
  expect(linesOf(printed, 'workerpool0-1')).toEqual(expected(30));
  expect(printed).toHaveLength(60);
  expect(result).toMatchObject({ status: 'read', lines: 60, lateLines: 0 });
  expect(log.warnings()).toEqual([]);
  // Every read filtered on the job and on ml_job; the first from the job's start.
  const filters = emulator.calls().map((c) => String(c.request.filter));
  expect(filters.every((f) => f.includes(`resource.labels.job_id="${jobIdOf(name)}"`))).toBe(true);
  expect(filters.every((f) => f.startsWith('resource.type="ml_job"'))).toBe(true);
  expect(filters[0]).not.toContain('receiveTimestamp');
  expect(filters.at(-1)).toContain('receiveTimestamp>=');
});

test('late entries: a line visible after later lines of its replica still prints in its place, once', async () => {
  const name = jobName();
  // line 3 of each replica shows up 25 ms late (within the 30 ms hold), after lines 4..6.
  emulator.script(jobIdOf(name), {
    entries: interleaved(['workerpool0-0', 'workerpool0-1'], 10, (i) => (i === 3 ? 25 : 1)),
  });
  const { follower, printed } = follow(emulator, name);
  await untilVisible(name);
  const result = await follower.finish({ drain: true, endTime: new Date().toISOString() });
  expect(linesOf(printed, 'workerpool0-0')).toEqual(expected(10));
  expect(linesOf(printed, 'workerpool0-1')).toEqual(expected(10));
  expect(result.lateLines).toBe(0);
});

test('later than the hold: the line is still printed once, marked late, never dropped', async () => {
  const name = jobName();
  // 600 ms late: far beyond the 80 ms the hold can grow to.
  emulator.script(jobIdOf(name), {
    entries: [
      { at: 20, replica: 'workerpool0-0', text: 'first' },
      { at: 30, replica: 'workerpool0-0', text: 'second (late)', lateMs: 600 },
      { at: 40, replica: 'workerpool0-0', text: 'third' },
    ],
  });
  const { follower, printed } = follow(emulator, name);
  await untilVisible(name);
  const result = await follower.finish({ drain: true, endTime: new Date().toISOString() });
  expect(printed.filter((l) => l.includes('second (late)'))).toHaveLength(1);
  expect(printed).toHaveLength(3);
  expect(printed.find((l) => l.includes('second'))).toMatch(
    /^\[workerpool0-0, late: \d{4}-.*Z\] second \(late\)$/,
  );
  expect(result.lateLines).toBe(1);
});

test('duplicates across pages, small pages and multi-line entries: each line once, in order', async () => {
  emulator.faults({ maxPageSize: 8, duplicateAcrossPages: true });
  const name = jobName();
  const entries = interleaved(['workerpool0-0', 'workerpool0-1'], 12, () => 1);
  entries.push({
    at: 300,
    replica: 'workerpool0-1',
    text: 'tail a\ntail b',
    stream: 'stderr',
    json: true,
  });
  emulator.script(jobIdOf(name), { entries });
  const { follower, printed } = follow(emulator, name);
  await untilVisible(name);
  const result = await follower.finish({ drain: true, endTime: new Date().toISOString() });
  expect(linesOf(printed, 'workerpool0-0')).toEqual(expected(12));
  expect(linesOf(printed, 'workerpool0-1')).toEqual([...expected(12), 'tail a', 'tail b']);
  // Several pages were read, and the emulator did repeat entries across them.
  const lists = emulator.calls().filter((c) => c.method === 'ListLogEntries');
  expect(lists.some((c) => c.request.pageToken)).toBe(true);
  expect(result.lines).toBe(26);
});

test('denied reads: one warning naming roles/logging.viewer, no further calls, nothing thrown', async () => {
  emulator.faults({ deny: true });
  const name = jobName();
  const { follower, printed, log } = follow(emulator, name);
  await sleep(400);
  const result = await follower.finish({ drain: true, endTime: new Date().toISOString() });
  expect(result.status).toBe('denied');
  expect(printed).toEqual([]);
  expect(log.warnings()).toHaveLength(1);
  expect(log.warnings()[0]).toMatch(/roles\/logging\.viewer/);
  expect(log.warnings()[0]).toMatch(/PERMISSION_DENIED/);
  expect(emulator.calls()).toHaveLength(1);
});

test('RESOURCE_EXHAUSTED: backs off (longer waits), warns once, and still prints every line', async () => {
  const name = jobName();
  emulator.script(jobIdOf(name), {
    entries: interleaved(['workerpool0-0'], 8, () => 1),
  });
  emulator.faults({ exhaustNext: 3 });
  const { follower, printed, log } = follow(emulator, name);
  await untilVisible(name);
  await sleep(1200);
  const result = await follower.finish({ drain: true, endTime: new Date().toISOString() });
  expect(linesOf(printed, 'workerpool0-0')).toEqual(expected(8));
  const exhaustedWarnings = log.warnings().filter((w) => /RESOURCE_EXHAUSTED/.test(w));
  expect(exhaustedWarnings).toHaveLength(1);
  expect(exhaustedWarnings[0]).toMatch(/60 ListLogEntries/);
  // The waits after the refusals grow: 150 ms, 300 ms, 600 ms (+-10%), never the 120 ms pace.
  const times = emulator.calls().map((c) => Date.parse(c.time));
  const gaps = times.slice(1, 4).map((t, i) => t - times[i]);
  expect(gaps[0]).toBeGreaterThanOrEqual(130);
  expect(gaps[1]).toBeGreaterThanOrEqual(265);
  expect(gaps[2]).toBeGreaterThanOrEqual(535);
  expect(result.status).toBe('read');
});

test('a per-project quota: the follower stays within it and the emulator never refuses it', async () => {
  // 6 reads per 600 ms (a minute at this scale): the follower's own cap is 5 calls a minute,
  // pages and drain reads included.
  emulator.faults({ readsPerWindow: 6, quotaWindowMs: 600, maxPageSize: 2 });
  const name = jobName();
  emulator.script(jobIdOf(name), { entries: interleaved(['workerpool0-0'], 5, () => 1) });
  const { follower, printed } = follow(emulator, name);
  await sleep(1500);
  await follower.finish({ drain: true, endTime: new Date().toISOString() });
  expect(linesOf(printed, 'workerpool0-0')).toEqual(expected(5));
  expect(emulator.calls().every((c) => c.code === 0)).toBe(true);
});

test('the failing replica: picked by its traceback, last lines and the exception line', async () => {
  const name = jobName();
  const entries: ScriptedEntry[] = [];
  for (let i = 0; i < 40; i++)
    entries.push({ at: 20 + i, replica: 'workerpool0-0', text: `step ${i}` });
  entries.push(
    {
      at: 70,
      replica: 'workerpool0-0',
      stream: 'stderr',
      text: 'Traceback (most recent call last):',
    },
    {
      at: 71,
      replica: 'workerpool0-0',
      stream: 'stderr',
      text: '  File "train.py", line 3, in <module>',
    },
    {
      at: 72,
      replica: 'workerpool0-0',
      stream: 'stderr',
      text: "KeyError: 'lr' (token sekrit-value)",
    },
    // Another replica wrote last, with only progress output on stderr.
    { at: 90, replica: 'workerpool0-1', stream: 'stderr', text: '100%|##########| 10/10' },
    {
      at: 95,
      replica: null,
      severity: 'ERROR',
      text: 'The replica workerpool0-0 exited with a non-zero status of 1.',
    },
  );
  emulator.script(jobIdOf(name), { entries });
  const { follower } = follow(emulator, name, { redact: (s) => s.replace('sekrit-value', '***') });
  await untilVisible(name);
  const { excerpt } = await follower.finish({ drain: true, endTime: new Date().toISOString() });
  expect(excerpt?.replica).toBe('workerpool0-0');
  expect(excerpt?.errorLine).toBe("KeyError: 'lr' (token ***)");
  expect(excerpt?.lines).toHaveLength(30);
  expect(excerpt?.lines.at(-1)).toBe("KeyError: 'lr' (token ***)");
  expect(excerpt?.earlierLinesOmitted).toBe(true);
});

test('abort: reading stops at once, what was read is printed', async () => {
  const name = jobName();
  emulator.script(jobIdOf(name), { entries: interleaved(['workerpool0-0'], 3, () => 1) });
  const abort = new AbortController();
  const { follower, printed } = follow(emulator, name, { signal: abort.signal });
  await untilVisible(name);
  await sleep(300);
  abort.abort();
  const result = await follower.finish({ drain: false });
  const before = emulator.calls().length;
  await sleep(300);
  expect(emulator.calls().length).toBe(before);
  expect(linesOf(printed, 'workerpool0-0')).toEqual(expected(3));
  expect(result.status).toBe('read');
});
