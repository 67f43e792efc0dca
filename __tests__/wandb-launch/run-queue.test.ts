// W&B Launch queues through the action's W&B adapter against the W&B stand-in: a queue's stored
// config and template variables; pop, ack and fail of its items; an unacked item back after its
// lease; an ack another agent won; the runSpec an agent receives (queue config merged in, its
// template variables filled with their types).
import { setTimeout as delay } from 'node:timers/promises';
import { startWandbEmulator, type WandbEmulator } from '../../emulators/wandb/emulator.ts';
import {
  ackRunQueueItem,
  failRunQueueItem,
  popRunQueueItem,
  readRunQueueConfig,
  wandbClient,
} from '../../src/wandb/index.ts';

const KEY = 'local-0123456789abcdef0123456789abcdef01234567';
const QUEUE = { entity: 'octo-team', name: 'vertex-queue' };
const CONFIG = {
  spec: {
    worker_pool_specs: [
      {
        machine_spec: { machine_type: 'n1-standard-4', accelerator_count: '{{gpu_count}}' },
        replica_count: 1,
        container_spec: { image_uri: '${image_uri}' },
      },
    ],
    staging_bucket: 'gs://{{bucket}}',
  },
  run: {},
};
let wandb: WandbEmulator;
const client = () => wandbClient({ baseUrl: wandb.url, apiKey: KEY });

beforeAll(async () => {
  wandb = await startWandbEmulator({ apiKeys: [KEY] });
});
afterAll(async () => wandb?.close());
beforeEach(() => {
  wandb.reset();
  wandb.addQueue('octo-team/vertex-queue', {
    config: CONFIG,
    templateVariables: {
      gpu_count: { schema: { type: 'integer', minimum: 0, maximum: 8, default: 1 } },
      bucket: { schema: { type: 'string', enum: ['stage-a', 'stage-b'] } },
    },
  });
});

test("a queue's stored config: its resource, config and template variables, in two reads", async () => {
  const stored = await readRunQueueConfig(client(), QUEUE);
  expect(stored?.resource).toBe('gcp-vertex');
  expect(JSON.parse(stored!.config as string)).toEqual({ resource_args: { 'gcp-vertex': CONFIG } });
  expect(stored!.templateVariables.map((v) => [v.name, JSON.parse(v.schema as string)])).toEqual([
    ['gpu_count', { type: 'integer', minimum: 0, maximum: 8, default: 1 }],
    ['bucket', { type: 'string', enum: ['stage-a', 'stage-b'] }],
  ]);
  expect(wandb.requests.map((r) => [r.operationName, r.user, r.key])).toEqual([
    ['GetRunQueueMetadata', 'api', KEY],
    ['GetDefaultResourceConfig', 'api', KEY],
  ]);
  expect(wandb.requests[0].variables).toEqual({
    projectName: 'model-registry',
    entityName: 'octo-team',
    runQueue: 'vertex-queue',
  });
});

test('a queue W&B does not have reads as undefined, after one request', async () => {
  expect(await readRunQueueConfig(client(), { entity: 'octo-team', name: 'nope' })).toBeUndefined();
  expect(
    await readRunQueueConfig(client(), { entity: 'other', name: 'vertex-queue' }),
  ).toBeUndefined();
  expect(wandb.requests).toHaveLength(2);
});

test('pop, ack, fail: the item an agent gets has the queue config merged in, variables typed', async () => {
  const id = wandb.enqueue('octo-team/vertex-queue', {
    runSpec: { job: 'octo-team/proj/trainer:latest', entity: 'octo-team', project: 'proj' },
    templateVariableValues: { bucket: 'stage-b' },
  });
  expect(Buffer.from(id, 'base64').toString()).toMatch(/^RunQueueItem:\d+$/);
  const popped = await popRunQueueItem(client(), QUEUE);
  expect(popped?.itemId).toBe(id);
  const spec = JSON.parse(popped!.runSpec as string);
  expect(spec.resource).toBe('gcp-vertex');
  const vertex = spec.resource_args['gcp-vertex'];
  expect(vertex.spec.worker_pool_specs[0].machine_spec.accelerator_count).toBe(1);
  expect(vertex.spec.staging_bucket).toBe('gs://stage-b');
  expect(await ackRunQueueItem(client(), id, 'run00001')).toBe(true);
  expect(await ackRunQueueItem(client(), id, 'run00001')).toBe(false);
  expect(wandb.queueItems('octo-team/vertex-queue')[0]).toMatchObject({
    state: 'LEASED',
    associatedRunId: 'run00001',
  });
  expect(await failRunQueueItem(client(), id, { message: 'it broke', stage: 'run' })).toBe(true);
  expect(wandb.queueItems('octo-team/vertex-queue')[0]).toMatchObject({
    state: 'FAILED',
    failure: { message: 'it broke', stage: 'run' },
  });
  expect(await popRunQueueItem(client(), QUEUE)).toBeUndefined();
  expect(wandb.requests.map((r) => r.operationName)).toEqual([
    'popFromRunQueue',
    'ackRunQueueItem',
    'ackRunQueueItem',
    'failRunQueueItem',
    'popFromRunQueue',
  ]);
  expect(wandb.requests[0].variables).toEqual({
    entity: 'octo-team',
    project: 'model-registry',
    queueName: 'vertex-queue',
  });
});

test('an item popped and never acked is pending again once its lease runs out', async () => {
  // Long enough that the second pop falls within the lease on a loaded machine.
  wandb.setLeaseMs(1_000);
  const id = wandb.enqueue('octo-team/vertex-queue', { runSpec: {} });
  expect((await popRunQueueItem(client(), QUEUE))?.itemId).toBe(id);
  expect(await popRunQueueItem(client(), QUEUE)).toBeUndefined();
  await delay(1_100);
  wandb.setLeaseMs(60_000);
  expect((await popRunQueueItem(client(), QUEUE))?.itemId).toBe(id);
  expect(await ackRunQueueItem(client(), id, 'run00002')).toBe(true);
});

test('an ack another agent won answers success: false', async () => {
  const id = wandb.enqueue('octo-team/vertex-queue', { runSpec: {} });
  await popRunQueueItem(client(), QUEUE);
  wandb.loseAckRace(id);
  expect(await ackRunQueueItem(client(), id, 'run00003')).toBe(false);
  expect(wandb.queueItems('octo-team/vertex-queue')[0].associatedRunId).not.toBe('run00003');
});

test('popping a queue W&B does not have is a GraphQL error', async () => {
  await expect(popRunQueueItem(client(), { entity: 'octo-team', name: 'nope' })).rejects.toThrow(
    /popFromRunQueue: run queue octo-team\/nope not found/,
  );
});
