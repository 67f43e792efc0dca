// The commands of the self-test workflow (.github/workflows/self-test.yml), which runs this
// action as users get it (`uses: ./`) against the Vertex AI emulator. Locally the same
// workflow runs with `node scripts/run-workflow-locally.ts .github/workflows/self-test.yml`.
//
//   self-test.ts start-emulator [--tick-ms N]   start it in the background; its addresses go
//                                               to GITHUB_ENV as VERTEX_ENDPOINT, VERTEX_ADMIN
//   self-test.ts next-job SCENARIO              the next job created plays SCENARIO (fail, ...)
//   self-test.ts expect CASE --jobs-created N   CASE: succeeded, failed or dry-run; the step is
//                                               env STEP (toJSON(steps.ID)); expected values
//                                               from env PROJECT, REGION, IMAGE
//   self-test.ts stop-emulator                  stop it and print its log
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { CASES, check } from './self-test/checks.ts';
import type { Case, EmulatorRecord, StepResult } from './self-test/checks.ts';

const { values, positionals } = parseArgs({
  options: {
    'tick-ms': { type: 'string', default: '500' },
    'jobs-created': { type: 'string' },
  },
  allowPositionals: true,
});
const [command, arg] = positionals;

function fail(message: string): never {
  console.error(`self-test: ${message}`);
  process.exit(1);
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) fail(`env ${name} is not set (${hint(name)})`);
  return value;
}

function hint(name: string): string {
  if (name.startsWith('VERTEX_')) return 'run `self-test.ts start-emulator` first';
  if (name === 'STEP') return 'set it to ${{ toJSON(steps.ID) }}';
  return 'set it in the workflow';
}

async function startEmulator(): Promise<void> {
  const log = join(process.env.RUNNER_TEMP || tmpdir(), `vertex-emulator-${process.pid}.log`);
  const fd = openSync(log, 'w');
  const child = spawn(
    process.execPath,
    ['emulators/vertex/server.ts', '--tick-ms', values['tick-ms']!],
    { detached: true, stdio: ['ignore', fd, fd] },
  );
  child.unref();
  closeSync(fd);
  // It announces {"grpc":..., "admin":...} on its first line.
  for (let waited = 0; waited < 30_000; waited += 100) {
    const first = readFileSync(log, 'utf8').split('\n')[0];
    if (first.startsWith('{')) {
      const { grpc, admin } = JSON.parse(first) as { grpc: string; admin: string };
      const env = {
        VERTEX_ENDPOINT: `http://${grpc}`,
        VERTEX_ADMIN: admin,
        VERTEX_EMULATOR_PID: String(child.pid),
        VERTEX_EMULATOR_LOG: log,
      };
      const lines = Object.entries(env).map(([k, v]) => `${k}=${v}\n`);
      appendFileSync(required('GITHUB_ENV'), lines.join(''));
      console.log(`Vertex AI emulator on ${grpc} (admin ${admin}), pid ${child.pid}`);
      return;
    }
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  fail(`the emulator did not start:\n${readFileSync(log, 'utf8')}`);
}

async function admin(path: string, body?: object): Promise<unknown> {
  const response = await fetch(`${required('VERTEX_ADMIN')}${path}`, {
    method: body ? 'POST' : 'GET',
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) fail(`emulator ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

async function expectCase(which: string | undefined): Promise<void> {
  if (!CASES.includes(which as Case)) fail(`expect what? one of ${CASES.join(', ')}`);
  const jobsCreated = Number(values['jobs-created']);
  if (!Number.isInteger(jobsCreated)) fail('--jobs-created N: how many jobs the emulator made');
  const step = JSON.parse(required('STEP')) as StepResult | null;
  if (!step) fail('STEP is null: no step with that id has run');
  const record = (await admin('/record')) as EmulatorRecord;
  const expected = {
    project: required('PROJECT'),
    region: required('REGION'),
    image: required('IMAGE'),
  };
  const verdicts = check(which as Case, step, record, expected, jobsCreated);
  for (const v of verdicts)
    console.log(`${v.ok ? 'ok' : 'not ok'} - ${v.what}${v.ok ? '' : `: got ${v.got}`}`);
  const failed = verdicts.filter((v) => !v.ok).length;
  if (failed > 0) fail(`${failed} of ${verdicts.length} checks of the ${which} case failed`);
  console.log(`${verdicts.length} checks of the ${which} case passed`);
}

function stopEmulator(): void {
  const pid = Number(required('VERTEX_EMULATOR_PID'));
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    console.log(`the emulator (pid ${pid}) had already stopped`);
  }
  const log = process.env.VERTEX_EMULATOR_LOG;
  if (log && existsSync(log)) console.log(readFileSync(log, 'utf8'));
}

switch (command) {
  case 'start-emulator':
    await startEmulator();
    break;
  case 'next-job':
    if (!arg) fail('next-job SCENARIO');
    await admin('/scenarios', { scenarios: [arg] });
    console.log(`the next job the emulator creates plays "${arg}"`);
    break;
  case 'expect':
    await expectCase(arg);
    break;
  case 'stop-emulator':
    stopEmulator();
    break;
  default:
    fail('usage: self-test.ts start-emulator|next-job|expect|stop-emulator (see the file header)');
}
