// Benchmark of following a job's logs, with the bundled action against the Vertex and Cloud
// Logging emulators (the emulator enforces the project's read quota: 60 ListLogEntries calls
// per minute, shared by every job of the project):
//  1. start-up cost of the Logging client: process start to the first ListLogEntries page, for
//     the action's client (generated LoggingServiceV2Client, protos subset), the same client
//     with the package's whole protos.json, and a floor (grpc-js + proto-loader, no google-gax);
//     interleaved runs, medians;
//  2. one job, then a matrix of --matrix jobs at once in one project, each writing two
//     replicas' lines for --minutes of running, sent in batches that become visible 1-20 s
//     after the lines' timestamps (see script()):
//     lag from an entry's visibility to its line in the step log (median, p95), ListLogEntries
//     calls per job-minute, the most calls in any rolling minute of the project, refusals.
// Time runs --scale times real speed (0.25: a minute in 15 s), for the action
// (WB_VERTEX_LAUNCH_TIME_SCALE) and the emulators alike; lags are reported in job time.
//
//   npx node bench/logs.ts [--scale 0.25] [--minutes 3] [--matrix 10] [--runs 10]
// Bundles from env WBVL_DIST (default dist).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { startLoggingEmulator, type LoggingEmulator } from '../emulators/logging/emulator.ts';
import type { LogScript, ScriptedEntry } from '../emulators/logging/scripts.ts';
import { startVertexEmulator } from '../emulators/vertex/emulator.ts';
import { nodeBinary, startAction } from '../__tests__/helpers/action-runner.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '0.25' },
    minutes: { type: 'string', default: '3' },
    matrix: { type: 'string', default: '10' },
    runs: { type: 'string', default: '10' },
  },
});
const scale = Number(values.scale);
const minutes = Number(values.minutes);
const matrix = Number(values.matrix);
const runs = Number(values.runs);
const QUOTA_PER_MINUTE = 60;

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (i - lo);
}

// ---- 1. start-up cost of the client -------------------------------------------------------
async function startup(): Promise<Record<string, number>> {
  const run = promisify(execFile);
  const logging = await startLoggingEmulator();
  const samples: Record<string, number[]> = { subset: [], full: [], floor: [] };
  try {
    const once = async (mode: string) =>
      Number(
        (await run(nodeBinary(), ['bench/logging-client-load.ts', mode, logging.grpcAddress]))
          .stdout,
      );
    for (const mode of Object.keys(samples)) await once(mode); // warm the file cache
    for (let i = 0; i < runs; i++)
      for (const mode of Object.keys(samples)) samples[mode].push(await once(mode));
  } finally {
    await logging.stop();
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

// ---- 2. following jobs ------------------------------------------------------------------
/** Deterministic pseudo-random numbers (mulberry32). */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Two replicas, a line each every 2 s of job time while the job runs (ticks 2 to 4). Each
 * replica's logging agent sends its lines in batches every 5 s; a batch becomes visible 1-3 s
 * after it is sent, and one batch in 20 is held up a further 5-15 s: lines are 1-20 s late,
 * and a held-up batch arrives after later ones.
 */
function script(k: number, tickMs: number): LogScript {
  const random = prng(1000 + k);
  const entries: ScriptedEntry[] = [];
  const simMs = (s: number) => s * 1000 * scale;
  const start = 2 * tickMs;
  const count = Math.floor((minutes * 60) / 2) - 1;
  for (const r of [0, 1]) {
    const phase = 5 * random();
    const batchDelay = new Map<number, number>();
    for (let i = 0; i < count; i++) {
      const t = 2 * i + r * 0.7 + 0.5;
      const batch = Math.ceil((t - phase) / 5);
      if (!batchDelay.has(batch))
        batchDelay.set(batch, 1 + 2 * random() + (random() < 0.05 ? 5 + 10 * random() : 0));
      const visible = phase + batch * 5 + batchDelay.get(batch)!;
      entries.push({
        at: start + simMs(t),
        replica: `workerpool0-${r}`,
        text: `s${k}-r${r}-${i}`,
        lateMs: simMs(visible - t),
      });
    }
  }
  return { entries };
}

interface FollowFigures {
  jobs: number;
  lines: number;
  expected: number;
  duplicates: number;
  outOfOrder: number;
  lagMedianS: number;
  lagP95S: number;
  callsPerJobMinute: number;
  maxProjectCallsPerMinute: number;
  refused: number;
  exitCodes: (number | null)[];
}

async function followJobs(n: number): Promise<FollowFigures> {
  // RUNNING from tick 2 to tick 4: `minutes` of running.
  const tickMs = ((minutes * 60_000) / 2) * scale;
  const vertex = await startVertexEmulator({ tickMs, scenario: 'succeed' });
  const logging: LoggingEmulator = await startLoggingEmulator({
    readsPerWindow: QUOTA_PER_MINUTE,
    quotaWindowMs: 60_000 * scale,
  });
  const arrivals = new Map<string, number[]>();
  try {
    for (let k = 0; k < n; k++) logging.queueScripts(script(k, tickMs));
    const steps = await Promise.all(
      Array.from({ length: n }, () => {
        let pending = '';
        return startAction({
          inputs: {
            'queue-config': 'examples/queue-config.yaml',
            project: 'my-proj-1',
            region: 'us-central1',
            image: 'us-docker.pkg.dev/my-proj-1/r/trainer:1',
            'vertex-endpoint': `http://${vertex.grpcAddress}`,
            'logging-endpoint': `http://${logging.grpcAddress}`,
            'check-run': 'false',
          },
          env: { WB_VERTEX_LAUNCH_TIME_SCALE: String(scale) },
          timeoutMs: (minutes * 60 * 3 + 120) * 1000 * scale + 60_000,
          echo: (chunk) => {
            const now = Date.now();
            pending += chunk;
            const lines = pending.split('\n');
            pending = lines.pop() ?? '';
            for (const line of lines) {
              const m = /^\[workerpool0-\d(?:, late: [^\]]*)?\] (s\d+-r\d-\d+)$/.exec(line);
              if (m) arrivals.set(m[1], [...(arrivals.get(m[1]) ?? []), now]);
            }
          },
        });
      }),
    );
    const results = await Promise.all(steps.map((s) => s.done));
    const visible = new Map<string, number>();
    const jobIds = logging.jobIds();
    for (const id of jobIds) for (const e of logging.entries(id)) visible.set(e.text, e.visibleMs);
    const lags: number[] = [];
    let duplicates = 0;
    for (const [text, times] of arrivals) {
      duplicates += times.length - 1;
      const v = visible.get(text);
      if (v !== undefined) lags.push((times[0] - v) / scale / 1000);
    }
    const outOfOrder = results
      .map((r) => r.stdout.split('\n').filter((l) => l.includes(', late: ')).length)
      .reduce((a, b) => a + b, 0);
    const calls = logging.calls().filter((c) => c.method === 'ListLogEntries');
    const perJob = jobIds.map((id) => {
      const mine = calls
        .filter((c) => String(c.request.filter).includes(`job_id="${id}"`))
        .map((c) => Date.parse(c.time));
      const spanMin = (Math.max(...mine) - Math.min(...mine)) / scale / 60_000;
      return mine.length / Math.max(spanMin, 1 / 60);
    });
    const times = calls.map((c) => Date.parse(c.time)).sort((a, b) => a - b);
    const windowMs = 60_000 * scale;
    let maxInMinute = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= windowMs) j++;
      maxInMinute = Math.max(maxInMinute, i - j + 1);
    }
    return {
      jobs: n,
      lines: [...arrivals.keys()].length,
      expected: visible.size,
      duplicates,
      outOfOrder,
      lagMedianS: median(lags),
      lagP95S: quantile(lags, 0.95),
      callsPerJobMinute: perJob.reduce((a, b) => a + b, 0) / perJob.length,
      maxProjectCallsPerMinute: maxInMinute,
      refused: calls.filter((c) => c.code !== 0).length,
      exitCodes: results.map((r) => r.code),
    };
  } finally {
    await Promise.all([vertex.stop(), logging.stop()]);
  }
}

const start = await startup();
console.log(
  `Node ${process.version}; job time runs at ${scale}x; ${minutes} min of running per job`,
);
console.log(
  `\nStart-up: process start -> first ListLogEntries page (${runs} interleaved runs, medians)`,
);
console.log('| client | ms |');
console.log('|---|---:|');
console.log(`| action: LoggingServiceV2Client, protos subset | ${start.subset.toFixed(0)} |`);
console.log(`| same client, whole protos.json | ${start.full.toFixed(0)} |`);
console.log(`| floor: grpc-js + proto-loader | ${start.floor.toFixed(0)} |`);
console.log(
  `client over floor: ${(start.subset - start.floor).toFixed(0)} ms (${(start.subset / start.floor).toFixed(2)}x); subset saves ${(start.full - start.subset).toFixed(0)} ms`,
);

const rows: FollowFigures[] = [await followJobs(1), await followJobs(matrix)];
console.log('\nFollowing (lags in job time; quota enforced: 60 calls per project-minute)');
console.log(
  '| jobs | lines printed / written | duplicates | out of order | lag median | lag p95 | calls per job-minute | most calls in a project-minute | refused | exit codes |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const r of rows)
  console.log(
    `| ${r.jobs} | ${r.lines} / ${r.expected} | ${r.duplicates} | ${r.outOfOrder} | ${r.lagMedianS.toFixed(1)} s | ${r.lagP95S.toFixed(1)} s | ${r.callsPerJobMinute.toFixed(1)} | ${r.maxProjectCallsPerMinute} | ${r.refused} | ${[...new Set(r.exitCodes)].join(',')} |`,
  );
