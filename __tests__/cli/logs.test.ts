// `wb-vertex-launch logs JOB [--follow]` as a process against the Vertex and Cloud Logging
// emulators (plaintext, so no credentials): the action's log follower, printing to stdout.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { startLoggingEmulator, type LoggingEmulator } from '../../emulators/logging/emulator.ts';
import { startVertexEmulator, type VertexEmulator } from '../../emulators/vertex/emulator.ts';

const root = join(import.meta.dirname, '..', '..');
const NODE = join(root, 'node_modules', '.bin', 'node');
const CLI = resolve(root, process.env.WBVL_CLI || 'src/cli/index.ts');

let vertex: VertexEmulator;
let logging: LoggingEmulator;
let endpoints: string[];
beforeAll(async () => {
  vertex = await startVertexEmulator({ tickMs: 150, scenario: 'fail' });
  logging = await startLoggingEmulator();
  endpoints = [
    '--vertex-endpoint',
    `http://${vertex.grpcAddress}`,
    '--logging-endpoint',
    `http://${logging.grpcAddress}`,
  ];
});
afterAll(async () => {
  await Promise.all([vertex?.stop(), logging?.stop()]);
});
beforeEach(() => {
  vertex.reset();
  logging.reset();
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      NODE,
      [CLI, ...args],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', WB_VERTEX_LAUNCH_TIME_SCALE: '0.01' },
        timeout: 30_000,
      },
      (err, stdout, stderr) =>
        done({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

async function newJob(): Promise<{ name: string; id: string }> {
  const run = await cli([
    'launch',
    '--queue-config',
    'examples/queue-config.yaml',
    '--project',
    'my-project-123',
    '--region',
    'us-central1',
    '--image',
    'us-central1-docker.pkg.dev/my-project-123/repo/train:1',
    ...endpoints.slice(0, 2),
  ]);
  expect(run.code).toBe(0);
  const name = (JSON.parse(run.stdout) as { name: string }).name;
  return { name, id: name.split('/').pop()! };
}

const script = {
  entries: [
    { at: 10, replica: 'workerpool0-0', text: 'step 1' },
    { at: 20, replica: 'workerpool0-1', text: 'step 1' },
    { at: 30, replica: 'workerpool0-0', text: 'step 2\nstep 3', stream: 'stderr' as const },
  ],
};

test('logs JOB prints what is there, each line once, prefixed by its replica', async () => {
  const { name, id } = await newJob();
  logging.script(id, script, Date.now() - 200);
  const run = await cli(['logs', name, ...endpoints]);
  expect(run.code).toBe(0);
  expect(run.stdout).toBe(
    [
      '[workerpool0-0] step 1',
      '[workerpool0-1] step 1',
      '[workerpool0-0] step 2',
      '[workerpool0-0] step 3',
      '',
    ].join('\n'),
  );
  expect(run.stderr).toMatch(/4 log lines/);
});

test('logs JOB --follow prints lines as they come and stops when the job ends', async () => {
  const { name, id } = await newJob();
  logging.script(id, {
    entries: [
      { at: 100, replica: 'workerpool0-0', text: 'early' },
      { at: 400, replica: 'workerpool0-0', text: 'late in the job' },
    ],
  });
  const run = await cli(['logs', name, '--follow', ...endpoints]);
  expect(run.code).toBe(0);
  expect(run.stdout).toBe('[workerpool0-0] early\n[workerpool0-0] late in the job\n');
  expect(run.stderr).toMatch(/JOB_STATE_FAILED, 2 log lines/);
});

test('denied: exit 1, and the warning names roles/logging.viewer', async () => {
  const { name } = await newJob();
  logging.faults({ deny: true });
  const run = await cli(['logs', name, ...endpoints]);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/roles\/logging\.viewer/);
  expect(run.stderr).not.toMatch(/at .*\.(ts|js):\d+/);
});

test('a bad job name or flag: exit 1 with usage', async () => {
  const bad = await cli(['logs', 'jobs/1', ...endpoints]);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/projects\/P\/locations\/R\/customJobs\/ID/);
  const flag = await cli(['logs', 'projects/p/locations/l/customJobs/1', '--nope']);
  expect(flag.code).toBe(1);
  expect(flag.stderr).toMatch(/logs JOB_NAME \[--follow\]/);
});
