// Benchmark of the follow loop of the bundled action, against the Vertex emulator:
//  1. GetCustomJob calls per hour of a job that runs forever: the real loop with
//     WB_VERTEX_LAUNCH_TIME_SCALE so one simulated hour passes in --seconds-per-hour real
//     seconds; Gets counted in the emulator's record (target <= 120 per hour).
//  2. Delay from the job reaching a terminal state to the step's exit, at time scale 1 with the
//     real policy: several steps follow jobs at once and each job is ended (cancelled from
//     outside, as a person in the console would) at a different age, so the ends fall at
//     different points of the poll pace (target <= 30 s). Then the bound the policy implies.
//
//   npx node bench/polling.ts [--hours 1] [--seconds-per-hour 20] [--ends 10,25,45,70,95,115]
// Bundles from env WBVL_DIST (default dist).
import { parseArgs } from 'node:util';
import { startVertexEmulator, type VertexEmulator } from '../emulators/vertex/emulator.ts';
import { DEFAULT_POLL_POLICY, pollDelay } from '../src/core/follow-policy.ts';
import { runAction, startAction } from '../__tests__/helpers/action-runner.ts';
import { jobServiceClient } from './job-service-client.ts';

const { values } = parseArgs({
  options: {
    hours: { type: 'string', default: '1' },
    'seconds-per-hour': { type: 'string', default: '20' },
    ends: { type: 'string', default: '10,25,45,70,95,115' },
  },
});
const hours = Number(values.hours);
const secondsPerHour = Number(values['seconds-per-hour']);
const endAges = values.ends.split(',').map(Number);

const inputs = (emulator: VertexEmulator, extra: Record<string, string> = {}) => ({
  'queue-config': 'examples/queue-config.yaml',
  project: 'my-proj-1',
  region: 'us-central1',
  image: 'us-docker.pkg.dev/my-proj-1/r/trainer:1',
  'vertex-endpoint': `http://${emulator.grpcAddress}`,
  'check-run': 'false',
  ...extra,
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function getsPerHour(): Promise<{
  gets: number;
  simulatedHours: number;
  steadyPerHour: number;
}> {
  const scale = secondsPerHour / 3600;
  // Lifecycle steps of 30 simulated seconds: QUEUED -> PENDING -> RUNNING in the first minute.
  const emulator = await startVertexEmulator({ scenario: 'run-forever', tickMs: 30_000 * scale });
  try {
    // wait-timeout is wall time; the policy's clock runs 1/scale faster.
    const result = await runAction({
      inputs: inputs(emulator, { 'wait-timeout': `${Math.round(hours * secondsPerHour)}s` }),
      env: { WB_VERTEX_LAUNCH_TIME_SCALE: String(scale) },
      timeoutMs: (hours * secondsPerHour + 60) * 1000,
    });
    if (!/wait-timeout/.test(result.stdout)) throw new Error(`unexpected end:\n${result.stdout}`);
    const record = emulator.record();
    const create = Date.parse(record.calls.find((c) => c.method === 'CreateCustomJob')!.time);
    const gets = record.calls
      .filter((c) => c.method === 'GetCustomJob')
      .map((c) => Date.parse(c.time));
    const simulatedHours = (gets.at(-1)! - create) / scale / 3_600_000;
    // Steady state: the second half of the window, after the start-up quick polls.
    const half = create + (gets.at(-1)! - create) / 2;
    const late = gets.filter((t) => t >= half).length;
    return { gets: gets.length, simulatedHours, steadyPerHour: late / (simulatedHours / 2) };
  } finally {
    await emulator.stop();
  }
}

interface EndSample {
  ageS: number;
  delayS: number;
}

async function terminalToExit(): Promise<EndSample[]> {
  const tickMs = 500;
  const emulator = await startVertexEmulator({ scenario: 'run-forever', tickMs });
  const console = jobServiceClient(emulator.grpcAddress);
  try {
    return await Promise.all(
      endAges.map(async (ageS) => {
        const step = await startAction({ inputs: inputs(emulator), timeoutMs: 600_000 });
        await step.waitForLog(/Vertex AI console: /, 60_000); // logged after the job outputs
        const name = (await step.outputsNow())['job-name'];
        const job = emulator.record().jobs.find((j) => j.name === name) as { createTime: string };
        const created = Date.parse(job.createTime);
        await sleep(Math.max(0, created + ageS * 1000 - Date.now()));
        await new Promise<void>((resolve, reject) =>
          console.cancelCustomJob({ name }, (err) => (err ? reject(err) : resolve())),
        );
        // The emulator's CancelCustomJob makes the job CANCELLED one tick after the call.
        const cancel = emulator
          .record()
          .calls.findLast((c) => c.method === 'CancelCustomJob' && c.request.name === name)!;
        const terminalAt = Date.parse(cancel.time) + tickMs;
        const result = await step.done;
        if (!/JOB_STATE_CANCELLED/.test(result.outputs['job-state'] ?? '')) {
          throw new Error(`step did not see the end:\n${result.stdout}`);
        }
        return { ageS, delayS: (result.spawnedAt + result.elapsedMs - terminalAt) / 1000 };
      }),
    );
  } finally {
    console.close();
    await emulator.stop();
  }
}

/** The poll interval the policy is in at `t` seconds after the last state change it saw. */
function policyIntervals(untilS: number): Array<{ fromS: number; toS: number }> {
  const out: Array<{ fromS: number; toS: number }> = [];
  let t = 0;
  let pace: number | undefined;
  let changed = true;
  while (t < untilS) {
    pace = pollDelay(pace, changed, DEFAULT_POLL_POLICY);
    changed = false;
    out.push({ fromS: t, toS: t + pace / 1000 });
    t += pace / 1000;
  }
  return out;
}

process.stderr.write(
  `Gets per hour: ${hours} simulated hour(s) in ${hours * secondsPerHour} s...\n`,
);
const rate = await getsPerHour();
process.stderr.write(
  `Terminal -> exit at time scale 1: ${endAges.length} jobs ended at ages ${endAges.join(', ')} s...\n`,
);
const ends = await terminalToExit();

console.log('\nPolling of a job that runs forever (real follow loop, emulated clock)\n');
console.log('| figure | value | target |');
console.log('|---|---:|---:|');
console.log(`| simulated hours followed | ${rate.simulatedHours.toFixed(2)} | |`);
console.log(`| GetCustomJob calls | ${rate.gets} | |`);
console.log(
  `| Gets per hour (whole window, incl. start-up quick polls) | ${(rate.gets / rate.simulatedHours).toFixed(0)} | <= 120 |`,
);
console.log(`| Gets per hour (steady state, second half) | ${rate.steadyPerHour.toFixed(0)} | |`);

console.log('\nTerminal state -> step exit, time scale 1, real policy\n');
console.log('| job ended at age | delay to exit | policy poll interval then (worst case) |');
console.log('|---:|---:|---:|');
const intervals = policyIntervals(3600);
for (const e of [...ends].sort((a, b) => a.ageS - b.ageS)) {
  // The job was RUNNING about one second after creation: that is the last change seen.
  const i = intervals.find((iv) => iv.toS > e.ageS - 1)!;
  console.log(`| ${e.ageS} s | ${e.delayS.toFixed(1)} s | ${(i.toS - i.fromS).toFixed(1)} s |`);
}
const delays = ends.map((e) => e.delayS).sort((a, b) => a - b);
const mid = Math.floor(delays.length / 2);
const median = delays.length % 2 ? delays[mid] : (delays[mid - 1] + delays[mid]) / 2;
console.log(`\nmedian ${median.toFixed(1)} s, max ${delays.at(-1)!.toFixed(1)} s (target <= 30 s)`);
const p = DEFAULT_POLL_POLICY;
const capAfter = intervals.find((iv) => iv.toS - iv.fromS >= p.maxMs / 1000)!;
console.log(
  `Policy bound: a poll every ${p.quickMs / 1000} s after a change, x${p.growth} per unchanged poll, ` +
    `capped at ${p.maxMs / 1000} s from ${capAfter.fromS.toFixed(0)} s after the last change on; ` +
    `so a job ending later than that is seen up to ${p.maxMs / 1000} s after it ends ` +
    `(${p.maxMs / 2000} s on average), plus the step's exit.`,
);
