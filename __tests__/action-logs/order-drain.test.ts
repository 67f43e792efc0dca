// The bundled action following a job whose replicas' lines arrive out of order (4-8 s and up to
// 10 s late): each replica prints in timestamp order, nothing marked late; and with pages that
// repeat the previous page's last entries, the job's last line is out within 30 s of its end,
// and the step ends then. Times are job time; scripts are timed from the job's create time.
import { steadyScript } from '../../emulators/logging/scripts.ts';
import { startLogsWorld, TICK_MS, TIME_SCALE, untrustedBlocks, type LogsWorld } from './setup.ts';

let world: LogsWorld;
beforeAll(async () => {
  world = await startLogsWorld();
});
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  await world.reset();
  world.vertex.setTickMs(TICK_MS);
});

/** Binds the script to the job once the Vertex emulator has it; resolves with its create time. */
async function bindAtCreate(
  script: (tickMs: number) => ReturnType<typeof steadyScript>,
  tickMs: number,
) {
  for (;;) {
    const [job] = world.vertex.record().jobs;
    if (job) {
      const created = Date.parse(String(job.createTime));
      world.logging.script(String(job.id), script(tickMs), created);
      return created;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('replicas 4-8 s and up to 10 s late: each prints in timestamp order, none marked late', async () => {
  const scale = Number(TIME_SCALE);
  const s = (seconds: number) => seconds * 1000 * scale;
  // RUNNING from tick 2 to tick 4: a line every 2 s from just after the start to the end.
  const script = (tickMs: number) =>
    steadyScript({
      replicas: { 'workerpool0-0': [s(4), s(8)], 'workerpool0-1': [0, s(10)] },
      everyMs: s(2),
      fromMs: 2 * tickMs + s(1),
      untilMs: 4 * tickMs - s(1),
    });
  const launched = world.launch();
  await bindAtCreate(script, TICK_MS);
  const result = await launched;
  expect(result.code).toBe(0);
  const lines = untrustedBlocks(result.stdout).flatMap((b) => b.lines);
  expect(lines.filter((l) => l.includes(', late: '))).toEqual([]);
  const jobId = result.outputs['job-id'];
  const written = world.logging.entries(jobId);
  expect(lines).toHaveLength(written.length);
  for (const r of [0, 1]) {
    const mine = lines
      .filter((l) => l.startsWith(`[workerpool0-${r}] `))
      .map((l) => Number(l.slice(`[workerpool0-${r}] r${r}-`.length)));
    expect(mine).toEqual(mine.map((_, i) => i));
  }
});

test('overlapping pages: the last line within 30 s of the end, and the step ends then', async () => {
  // 1 s of job time is 50 ms here, and the job runs two minutes: past its first minute of
  // output, lines are held for the lateness seen, not the longest hold.
  const scale = 0.05;
  const tickMs = 60_000 * scale;
  world.vertex.setTickMs(tickMs);
  // Pages of 30 that repeat the previous page's last 5; the burst of 30 lines takes two.
  world.logging.faults({ maxPageSize: 30, pageOverlap: 5 });
  const s = (seconds: number) => seconds * 1000 * scale;
  const script = (tick: number) =>
    steadyScript({
      replicas: { 'workerpool0-0': [s(1), s(3)], 'workerpool0-1': [s(1), s(3)] },
      everyMs: s(2),
      fromMs: 2 * tick + s(1),
      untilMs: 4 * tick - s(1),
      bursts: [{ atMs: 2 * tick + s(30), lines: 30 }],
    });
  let lastLineAt = 0;
  const launched = world.launch(
    {},
    {
      env: { WB_VERTEX_LAUNCH_TIME_SCALE: String(scale) },
      echo: (chunk) => {
        if (/^\[workerpool0-\d[^\]]*\] /m.test(chunk)) lastLineAt = Date.now();
      },
    },
  );
  const created = await bindAtCreate(script, tickMs);
  const result = await launched;
  expect(result.code).toBe(0);
  const endMs = created + 4 * tickMs;
  const lines = untrustedBlocks(result.stdout).flatMap((b) => b.lines);
  expect(lines).toHaveLength(world.logging.entries(result.outputs['job-id']).length);
  // Reads took several pages, each repeating the previous page's last entries.
  const pages = world.logging.calls().filter((c) => c.request.pageToken);
  expect(pages.length).toBeGreaterThanOrEqual(1);
  const jobSeconds = (ms: number) => ms / scale / 1000;
  expect(jobSeconds(lastLineAt - endMs)).toBeLessThanOrEqual(30);
  expect(jobSeconds(result.spawnedAt + result.elapsedMs - endMs)).toBeLessThanOrEqual(30);
});
