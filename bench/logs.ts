// Benchmark of following a job's logs, with the bundled action against the Vertex and Cloud
// Logging emulators (the emulator enforces the project's read quota: 60 ListLogEntries calls
// per minute, shared by every job of the project):
//  1. start-up cost of the Logging client: process start to the first ListLogEntries page, for
//     the action's client (generated LoggingServiceV2Client, protos subset), the same client
//     with the package's whole protos.json, and a floor (grpc-js + proto-loader, no google-gax);
//     interleaved runs, medians;
//  2. following, each job writing two replicas' lines for --minutes of running (see
//     logs-follow.ts for the figures): `batches`, one job then a matrix of --matrix jobs at once
//     in one project, lines sent in batches that become visible 1-20 s after their timestamps
//     (see script()); `late 4-8 s`, each replica's lines visible 4-8 s late, each line its own;
//     `late 4-8 s / 0-10 s`, one replica so, the other up to 10 s late; `overlapping pages`,
//     lines 1-3 s late (and a burst of 30 lines a minute in) read in pages of 25 that repeat
//     the previous page's last 5 entries.
//     Figures: out-of-order lines (goal 0 where lines are at most 10 s late), lag from an
//     entry's visibility to its line (median, p95), the last line and the step's exit after
//     the job's end (goal <= 30 s), calls per job-minute, the project's busiest minute.
// Time runs --scale times real speed (0.25: a minute in 15 s), for the action
// (WB_VERTEX_LAUNCH_TIME_SCALE) and the emulators alike; figures are in job time.
//
//   npx node bench/logs.ts [--scale 0.25] [--minutes 3] [--matrix 10] [--runs 10]
//                          [--scenarios batches,late,late-mixed,overlap]
// --runs 0 skips the start-up part.
// Bundles from env WBVL_DIST (default dist).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { startLoggingEmulator } from '../emulators/logging/emulator.ts';
import {
  prng,
  steadyScript,
  type LogScript,
  type ScriptedEntry,
} from '../emulators/logging/scripts.ts';
import { nodeBinary } from '../__tests__/helpers/action-runner.ts';
import { followJobs, quantile, type FollowFigures, type Scenario } from './logs-follow.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '0.25' },
    minutes: { type: 'string', default: '3' },
    matrix: { type: 'string', default: '10' },
    runs: { type: 'string', default: '10' },
    scenarios: { type: 'string', default: 'batches,late,late-mixed,overlap' },
  },
});
const scale = Number(values.scale);
const minutes = Number(values.minutes);
const matrix = Number(values.matrix);
const runs = Number(values.runs);
const chosen = values.scenarios.split(',');

const median = (xs: number[]) => quantile(xs, 0.5);

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

/** Two replicas writing a line every 2 s from just after the job starts to just before it ends. */
function steady(
  k: number,
  tickMs: number,
  replicas: [number, number][],
  bursts: { atS: number; lines: number }[] = [],
): LogScript {
  const simMs = (seconds: number) => seconds * 1000 * scale;
  return steadyScript({
    replicas: Object.fromEntries(
      replicas.map(([least, most], r) => [`workerpool0-${r}`, [simMs(least), simMs(most)]]),
    ),
    everyMs: simMs(2),
    fromMs: 2 * tickMs + simMs(1),
    untilMs: 4 * tickMs - simMs(1),
    prefix: `s${k}-`,
    seed: 7 + k,
    bursts: bursts.map((b) => ({ atMs: 2 * tickMs + simMs(b.atS), lines: b.lines })),
  });
}

const SCENARIOS: Record<string, [string, Scenario][]> = {
  batches: [
    ['batches, 1 job', { jobs: 1, script }],
    [`batches, ${matrix} jobs`, { jobs: matrix, script }],
  ],
  late: [
    [
      'late 4-8 s',
      {
        jobs: 1,
        script: (k, t) =>
          steady(k, t, [
            [4, 8],
            [4, 8],
          ]),
      },
    ],
  ],
  'late-mixed': [
    [
      'late 4-8 s / 0-10 s',
      {
        jobs: 1,
        script: (k, t) =>
          steady(k, t, [
            [4, 8],
            [0, 10],
          ]),
      },
    ],
  ],
  overlap: [
    [
      'overlapping pages',
      {
        jobs: 1,
        script: (k, t) =>
          steady(
            k,
            t,
            [
              [1, 3],
              [1, 3],
            ],
            [{ atS: 60, lines: 30 }],
          ),
        maxPageSize: 25,
        pageOverlap: 5,
      },
    ],
  ],
};

console.log(
  `Node ${process.version}; job time runs at ${scale}x; ${minutes} min of running per job`,
);
if (runs > 0) {
  const start = await startup();
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
}

const rows: [string, FollowFigures][] = [];
for (const name of chosen)
  for (const [label, scenario] of SCENARIOS[name] ?? [])
    rows.push([label, await followJobs(scenario, { scale, minutes })]);
console.log('\nFollowing (job time; quota enforced: 60 calls per project-minute)');
console.log(
  '| scenario | jobs | lines printed / written | duplicates | out of order | lag median | lag p95 | last line after end | exit after end | calls per job-minute | most calls in a project-minute | refused | exit codes |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
const s1 = (x: number) => `${x.toFixed(1)} s`;
for (const [label, r] of rows)
  console.log(
    `| ${label} | ${r.jobs} | ${r.lines} / ${r.expected} | ${r.duplicates} | ${r.outOfOrder} | ${s1(r.lagMedianS)} | ${s1(r.lagP95S)} | ${s1(r.lastLineAfterEndS)} | ${s1(r.exitAfterEndS)} | ${r.callsPerJobMinute.toFixed(1)} | ${r.maxProjectCallsPerMinute} | ${r.refused} | ${[...new Set(r.exitCodes)].join(',')} |`,
  );
