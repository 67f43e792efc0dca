// Shared pieces of the bundled-action tests: a fast Vertex emulator (short ticks) and the
// inputs of a launch with a prebuilt image against its plaintext endpoint, and readers for
// the emulator's own record of RPCs and jobs.
import type { EmulatorRecord, VertexEmulator } from '../../emulators/vertex/emulator.ts';

/** One lifecycle step of an emulated job. A succeeding job ends after 4 ticks. */
export const TICK_MS = 60;
/** Poll and retry delays at 1/500: the 5 s quick poll is 10 ms, the 60 s cap 120 ms. */
export const TIME_ENV = { WB_VERTEX_LAUNCH_TIME_SCALE: '0.002' };

export const PROJECT = 'my-proj-1';
export const REGION = 'us-central1';
export const IMAGE = 'us-docker.pkg.dev/my-proj-1/r/trainer:1';

export async function startEmulator(): Promise<VertexEmulator> {
  const { startVertexEmulator } = await import('../../emulators/vertex/emulator.ts');
  return startVertexEmulator({ tickMs: TICK_MS });
}

export function launchInputs(
  emulator: VertexEmulator,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    'queue-config': 'examples/queue-config.yaml',
    project: PROJECT,
    region: REGION,
    image: IMAGE,
    'vertex-endpoint': `http://${emulator.grpcAddress}`,
    'check-run': 'false',
    ...extra,
  };
}

export function calls(record: EmulatorRecord, method?: string): EmulatorRecord['calls'] {
  return method ? record.calls.filter((c) => c.method === method) : record.calls;
}

export interface RecordedJob {
  name: string;
  id: string;
  state: string;
  scenario: string;
  labels: Record<string, string>;
  getCalls: number;
}

export function jobs(record: EmulatorRecord): RecordedJob[] {
  return record.jobs as unknown as RecordedJob[];
}

/** The only job the emulator holds; fails the test when there is not exactly one. */
export function onlyJob(record: EmulatorRecord): RecordedJob {
  const all = jobs(record);
  if (all.length !== 1)
    throw new Error(`expected exactly one job, the emulator holds ${all.length}`);
  return all[0];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the emulator record until `pred` holds (the emulator computes states from its clock). */
export async function until(
  emulator: VertexEmulator,
  pred: (r: EmulatorRecord) => boolean,
  timeoutMs = 5_000,
): Promise<EmulatorRecord> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = emulator.record();
    if (pred(r)) return r;
    if (Date.now() > end)
      throw new Error(`emulator record never reached the condition: ${JSON.stringify(r.jobs)}`);
    await sleep(20);
  }
}
