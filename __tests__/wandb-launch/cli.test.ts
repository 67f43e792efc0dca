// `wb-vertex-launch agent` as a process against the W&B and Vertex stand-ins: the same pass as
// the action's step, the queue's items launched or failed, each outcome as JSON on stdout; the
// key from WANDB_API_KEY only, shown nowhere.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { startVertexEmulator, type VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { startWandbEmulator, type WandbEmulator } from '../../emulators/wandb/emulator.ts';
import { QUEUE, TEMPLATED_QUEUE, WANDB_KEY } from './setup.ts';

const root = join(import.meta.dirname, '..', '..');
const NODE = join(root, 'node_modules', '.bin', 'node');
const CLI = resolve(root, process.env.WBVL_CLI || 'src/cli/index.ts');
const IMAGE = 'us-docker.pkg.dev/my-proj-1/r/trainer:5';

let vertex: VertexEmulator;
let wandb: WandbEmulator;
beforeAll(async () => {
  [vertex, wandb] = await Promise.all([
    startVertexEmulator({ tickMs: 20 }),
    startWandbEmulator({ apiKeys: [WANDB_KEY] }),
  ]);
});
afterAll(async () => Promise.all([vertex?.stop(), wandb?.close()]));

function cli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(
      NODE,
      [CLI, ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 },
      (err, stdout, stderr) =>
        done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('agent --queue --max-items: the pass, every outcome as JSON, the key from the environment', async () => {
  wandb.addQueue(QUEUE, TEMPLATED_QUEUE);
  const values = { machine_type: 'n1-standard-4' };
  const ids = [
    wandb.enqueue(QUEUE, {
      runSpec: { docker: { docker_image: IMAGE } },
      templateVariableValues: values,
    }),
    wandb.enqueue(QUEUE, { runSpec: { resource: 'kubernetes' } }),
    wandb.enqueue(QUEUE, {
      runSpec: { docker: { docker_image: IMAGE } },
      templateVariableValues: values,
    }),
  ];
  const run = await cli(
    [
      'agent',
      '--queue',
      QUEUE,
      '--max-items',
      '2',
      '--project',
      'my-proj-1',
      '--region',
      'us-central1',
      '--vertex-endpoint',
      `http://${vertex.grpcAddress}`,
    ],
    { WANDB_API_KEY: WANDB_KEY, WANDB_BASE_URL: wandb.url, WANDB_ENTITY: 'octo-team' },
  );
  expect(run.stderr).not.toContain('unexpected error');
  expect(run.code).toBe(0);
  const printed = JSON.parse(run.stdout);
  expect(printed.queue).toBe(QUEUE);
  expect(printed.items.map((i: { itemId: string; state: string }) => [i.itemId, i.state])).toEqual([
    [ids[0], 'launched'],
    [ids[1], 'failed'],
  ]);
  expect(printed.items[1].stage).toBe('agent');
  expect(wandb.queueItems(QUEUE).map((i) => i.state)).toEqual(['LEASED', 'FAILED', 'PENDING']);
  expect(vertex.record().calls.filter((c) => c.method === 'CreateCustomJob')).toHaveLength(1);
  expect(`${run.stdout}${run.stderr}`).not.toContain(WANDB_KEY);
});

test('agent without --queue, or without WANDB_API_KEY, says what it needs', async () => {
  const noQueue = await cli(['agent'], { WANDB_API_KEY: WANDB_KEY });
  expect(noQueue.code).toBe(1);
  expect(noQueue.stderr).toContain('agent needs --queue ENTITY/QUEUE');
  const noKey = await cli(['agent', '--queue', QUEUE]);
  expect(noKey.code).toBe(1);
  expect(noKey.stderr).toContain('agent needs WANDB_API_KEY in the environment');
  expect(noKey.stdout).toBe('');
});
