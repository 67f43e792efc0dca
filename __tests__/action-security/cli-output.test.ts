// The command line in a workflow's `run:` step, where the runner reads its stdout and stderr
// for workflow commands: a hostile job's log lines (`logs`) and error message (`status`, and
// the JSON it prints) command nothing under GITHUB_ACTIONS=true; in a terminal the lines are
// printed exactly as the job wrote them.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { startLoggingEmulator, type LoggingEmulator } from '../../emulators/logging/emulator.ts';
import { startVertexEmulator, type VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { readAsRunner } from '../helpers/runner-commands.ts';
import { hostileEffects, hostileLines } from './hostile.ts';
import { PARENT } from './setup.ts';

const root = join(import.meta.dirname, '..', '..');
const NODE = join(root, 'node_modules', '.bin', 'node');
const CLI = resolve(root, process.env.WBVL_CLI || 'src/cli/index.ts');
const VICTIM = `${PARENT}/customJobs/424242`;

let vertex: VertexEmulator;
let logging: LoggingEmulator;
beforeAll(async () => {
  vertex = await startVertexEmulator({ tickMs: 100 });
  logging = await startLoggingEmulator();
});
afterAll(async () => {
  await Promise.all([vertex?.stop(), logging?.stop()]);
});
beforeEach(() => {
  vertex.reset();
  logging.reset();
});

function cli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    execFile(
      NODE,
      [CLI, ...args, '--vertex-endpoint', `http://${vertex.grpcAddress}`],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', WB_VERTEX_LAUNCH_TIME_SCALE: '0.01', ...env },
        timeout: 30_000,
      },
      (err, stdout, stderr) =>
        done({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

/** A job that has ended with `scenario`, its log holding the hostile lines. */
async function endedHostileJob(scenario: string): Promise<string> {
  const lines = hostileLines(VICTIM);
  const job = vertex.seedJob({
    parent: PARENT,
    customJob: {
      displayName: 'hostile',
      jobSpec: { workerPoolSpecs: [{ machineSpec: { machineType: 'n1-standard-4' } }] },
    },
    scenario,
    agoMs: 10_000,
  });
  // The lines are from while it ran: just after it was created.
  const entries = [
    ...lines.map((text, i) => ({ at: i, replica: 'workerpool0-0', text })),
    { at: 50, replica: 'workerpool0-0', text: lines.join('\r') },
  ];
  logging.script(job.split('/').pop()!, { entries }, Date.now() - 9_500);
  return job;
}

const inActions = { GITHUB_ACTIONS: 'true' };

test('`logs` under a runner: the hostile lines print, and command nothing', async () => {
  const job = await endedHostileJob('succeed');
  const args = ['logs', job, '--logging-endpoint', `http://${logging.grpcAddress}`];
  const run = await cli(args, inActions);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('PWNED-legacy-mask');
  for (const out of [run.stdout, run.stderr])
    expect(hostileEffects(readAsRunner(out), VICTIM)).toEqual([]);

  // Control: in a terminal the same lines come out as the job wrote them, which a runner
  // would have obeyed.
  const raw = await cli(args);
  expect(raw.stdout).toContain(`[workerpool0-0] ##[add-mask]PWNED-legacy-mask\n`);
  expect(readAsRunner(raw.stdout).masks).toContain('PWNED-legacy-mask');
}, 60_000);

test('`status` of a job with a hostile error: its JSON keeps the message, and commands nothing', async () => {
  const message = hostileLines(VICTIM).join('\n');
  const job = await endedHostileJob(`fail-message:${message}`);
  const run = await cli(['status', job], inActions);
  expect(hostileEffects(readAsRunner(run.stdout), VICTIM)).toEqual([]);
  expect(hostileEffects(readAsRunner(run.stderr), VICTIM)).toEqual([]);
  // The same JSON value: `##[` is only written `##\u005b`.
  const printed = JSON.parse(run.stdout) as { error?: { message: string } };
  expect(printed.error?.message).toBe(message);
  expect(run.stdout).toContain('##\\u005badd-mask]');
}, 60_000);
