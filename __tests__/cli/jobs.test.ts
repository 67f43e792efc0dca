// `wb-vertex-launch launch`, `status` and `cancel` run as processes against the Vertex
// emulator (plaintext, so no credentials): the same adapters as the action.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { startVertexEmulator, type VertexEmulator } from '../../emulators/vertex/emulator.ts';

const root = join(import.meta.dirname, '..', '..');
const NODE = join(root, 'node_modules', '.bin', 'node');
const CLI = resolve(root, process.env.WBVL_CLI || 'src/cli/index.ts');
const TARGET = ['--project', 'my-project-123', '--region', 'us-central1'];
const IMAGE = ['--image', 'us-central1-docker.pkg.dev/my-project-123/repo/train:1'];

let emulator: VertexEmulator;
let endpoint: string[];
beforeAll(async () => {
  emulator = await startVertexEmulator({ tickMs: 40 });
  endpoint = ['--vertex-endpoint', `http://${emulator.grpcAddress}`];
});
afterAll(async () => {
  await emulator?.stop();
});
beforeEach(() => emulator.reset());

function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      NODE,
      [CLI, ...args],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', WB_VERTEX_LAUNCH_TIME_SCALE: '0.002', ...env },
        timeout: 30_000,
      },
      (err, stdout, stderr) =>
        done({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

const launchArgs = () => [
  'launch',
  '--queue-config',
  'examples/queue-config.yaml',
  ...TARGET,
  ...IMAGE,
  ...endpoint,
];

test('launch --wait follows the job to SUCCEEDED and prints it as JSON', async () => {
  const run = await cli([...launchArgs(), '--wait']);
  expect(run.stderr).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
  expect(run.code).toBe(0);
  const job = JSON.parse(run.stdout) as { name: string; state: string };
  expect(job.state).toBe('JOB_STATE_SUCCEEDED');
  expect(job.name).toMatch(/^projects\/my-project-123\/locations\/us-central1\/customJobs\/\d+$/);
  expect(emulator.record().jobsCreated).toBe(1);
}, 40_000);

test('launch without --wait returns after the create; each launch is a job of its own, even in the same run and step', async () => {
  const github = {
    GITHUB_RUN_ID: '99',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_ACTION: 'cli',
  };
  emulator.queueScenarios('run-forever');
  const first = await cli(launchArgs(), github);
  expect(first.code).toBe(0);
  const second = await cli(launchArgs(), github);
  expect(second.code).toBe(0);
  expect(JSON.parse(second.stdout).name).not.toBe(JSON.parse(first.stdout).name);
  expect(emulator.record().jobsCreated).toBe(2);
  // No lookup before a create: the only calls are the two Creates.
  expect(emulator.record().calls.map((c) => c.method)).toEqual([
    'CreateCustomJob',
    'CreateCustomJob',
  ]);
}, 40_000);

test('status prints the job; cancel asks Vertex to cancel it', async () => {
  emulator.queueScenarios('run-forever');
  const launched = JSON.parse((await cli(launchArgs())).stdout) as { name: string };
  const status = await cli(['status', launched.name, ...endpoint]);
  expect(status.code).toBe(0);
  expect(JSON.parse(status.stdout).name).toBe(launched.name);

  const cancel = await cli(['cancel', launched.name, ...endpoint]);
  expect(cancel.code).toBe(0);
  expect(['JOB_STATE_CANCELLING', 'JOB_STATE_CANCELLED']).toContain(
    JSON.parse(cancel.stdout).state,
  );
  expect(emulator.record().calls.filter((c) => c.method === 'CancelCustomJob')).toHaveLength(1);
}, 40_000);

test('a malformed job name: exit 1, nothing on stdout, the expected form on stderr, no RPC', async () => {
  const run = await cli(['status', 'customJobs/1', ...endpoint]);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain('projects/P/locations/R/customJobs/ID');
  expect(emulator.record().calls).toEqual([]);
}, 20_000);
