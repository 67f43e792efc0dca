// The following part of bench/logs.ts: bundled action steps follow their jobs against the Vertex
// and Cloud Logging emulators while each job's replicas write lines; figures come from what the
// steps printed and the emulators' records. Times are in job time (real time / scale).
import { startLoggingEmulator, type LoggingEmulator } from '../emulators/logging/emulator.ts';
import type { LogScript } from '../emulators/logging/scripts.ts';
import { startVertexEmulator, type VertexEmulator } from '../emulators/vertex/emulator.ts';
import { startAction, type ActionResult } from '../__tests__/helpers/action-runner.ts';

export interface Scenario {
  jobs: number;
  /** Job `k`'s lines, timed from its create time; texts end in `r<replica>-<i>`, i in time order. */
  script(k: number, tickMs: number): LogScript;
  /** The emulator's page size and how many entries each page repeats of the one before. */
  maxPageSize?: number;
  pageOverlap?: number;
}

export interface FollowFigures {
  jobs: number;
  lines: number;
  expected: number;
  duplicates: number;
  /** Lines printed after a later line of their replica (whether marked late or not). */
  outOfOrder: number;
  lagMedianS: number;
  lagP95S: number;
  /** The worst job: its last line printed, and its step's exit, after the job's end. */
  lastLineAfterEndS: number;
  exitAfterEndS: number;
  callsPerJobMinute: number;
  maxProjectCallsPerMinute: number;
  refused: number;
  exitCodes: (number | null)[];
}

export const QUOTA_PER_MINUTE = 60;

export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = (s.length - 1) * q;
  const lo = Math.floor(i);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (i - lo);
}

/** A job's line: its text is `<stream>-<index>`, the index in timestamp order within its stream. */
const LINE = /^\[(workerpool0-\d)(?:, late: [^\]]*)?\] (\S+-(\d+))$/;

/** Binds job k's script to the k-th job created, timed from its create time. */
function bindScripts(
  vertex: VertexEmulator,
  logging: LoggingEmulator,
  scenario: Scenario,
  tickMs: number,
) {
  const bound = new Set<string>();
  const timer = setInterval(() => {
    for (const job of vertex.record().jobs) {
      const id = String(job.id);
      if (bound.has(id)) continue;
      logging.script(id, scenario.script(bound.size, tickMs), Date.parse(String(job.createTime)));
      bound.add(id);
    }
  }, 5);
  return () => clearInterval(timer);
}

function projectMinuteMax(times: number[], windowMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

export async function followJobs(
  scenario: Scenario,
  { scale, minutes }: { scale: number; minutes: number },
): Promise<FollowFigures> {
  // RUNNING from tick 2 to tick 4: `minutes` of running.
  const tickMs = ((minutes * 60_000) / 2) * scale;
  const vertex = await startVertexEmulator({ tickMs, scenario: 'succeed' });
  const logging = await startLoggingEmulator({
    readsPerWindow: QUOTA_PER_MINUTE,
    quotaWindowMs: 60_000 * scale,
  });
  logging.faults({ maxPageSize: scenario.maxPageSize, pageOverlap: scenario.pageOverlap });
  const arrivals = new Map<string, number[]>();
  const lastSeen = new Map<string, number>();
  let outOfOrder = 0;
  const stopBinding = bindScripts(vertex, logging, scenario, tickMs);
  try {
    const steps = await Promise.all(
      Array.from({ length: scenario.jobs }, () => {
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
              const m = LINE.exec(line);
              if (!m) continue;
              const [, , text, index] = m;
              const replica = text.slice(0, text.lastIndexOf('-'));
              if ((lastSeen.get(replica) ?? -1) > Number(index)) outOfOrder++;
              lastSeen.set(replica, Math.max(lastSeen.get(replica) ?? -1, Number(index)));
              arrivals.set(text, [...(arrivals.get(text) ?? []), now]);
            }
          },
        });
      }),
    );
    const results = await Promise.all(steps.map((s) => s.done));
    return figures(scenario, { vertex, logging, tickMs, scale, arrivals, results, outOfOrder });
  } finally {
    stopBinding();
    await Promise.all([vertex.stop(), logging.stop()]);
  }
}

function figures(
  scenario: Scenario,
  run: {
    vertex: VertexEmulator;
    logging: LoggingEmulator;
    tickMs: number;
    scale: number;
    arrivals: Map<string, number[]>;
    results: ActionResult[];
    outOfOrder: number;
  },
): FollowFigures {
  const { logging, scale, arrivals, results } = run;
  const jobIds = logging.jobIds();
  const visible = new Map<string, number>();
  const jobOf = new Map<string, string>();
  for (const id of jobIds)
    for (const e of logging.entries(id)) {
      visible.set(e.text, e.visibleMs);
      jobOf.set(e.text, id);
    }
  const lags: number[] = [];
  let duplicates = 0;
  const lastLine = new Map<string, number>();
  for (const [text, times] of arrivals) {
    duplicates += times.length - 1;
    const v = visible.get(text);
    if (v !== undefined) lags.push((times[0] - v) / scale / 1000);
    const job = jobOf.get(text) ?? '';
    lastLine.set(job, Math.max(lastLine.get(job) ?? 0, times[0]));
  }
  // The job ends 4 ticks after its creation (the `succeed` scenario).
  const endOf = new Map(
    run.vertex
      .record()
      .jobs.map((j) => [String(j.id), Date.parse(String(j.createTime)) + 4 * run.tickMs]),
  );
  const after = (ms: number) => ms / scale / 1000;
  const calls = logging.calls().filter((c) => c.method === 'ListLogEntries');
  const perJob = jobIds.map((id) => {
    const mine = calls
      .filter((c) => String(c.request.filter).includes(`job_id="${id}"`))
      .map((c) => Date.parse(c.time));
    const spanMin = (Math.max(...mine) - Math.min(...mine)) / scale / 60_000;
    return mine.length / Math.max(spanMin, 1 / 60);
  });
  const times = calls.map((c) => Date.parse(c.time)).sort((a, b) => a - b);
  return {
    jobs: scenario.jobs,
    lines: arrivals.size,
    expected: visible.size,
    duplicates,
    outOfOrder: run.outOfOrder,
    lagMedianS: quantile(lags, 0.5),
    lagP95S: quantile(lags, 0.95),
    lastLineAfterEndS: Math.max(
      ...jobIds.map((id) => after((lastLine.get(id) ?? NaN) - endOf.get(id)!)),
    ),
    exitAfterEndS: Math.max(
      ...results.map((r) =>
        after(r.spawnedAt + r.elapsedMs - (endOf.get(r.outputs['job-id']) ?? NaN)),
      ),
    ),
    callsPerJobMinute: perJob.reduce((a, b) => a + b, 0) / perJob.length,
    maxProjectCallsPerMinute: projectMinuteMax(times, 60_000 * scale),
    refused: calls.filter((c) => c.code !== 0).length,
    exitCodes: results.map((r) => r.code),
  };
}
