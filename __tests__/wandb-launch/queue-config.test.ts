// `wandb-queue` through the bundled action against the W&B, Vertex and GitHub stand-ins: the
// queue's stored config launched with and without template variables; values out of their
// schema and unknown names refused before anything but the queue is read; a queue of another
// resource refused; the compiler's problems named by the queue.
import {
  creates,
  errorText,
  envOf,
  firstPool,
  QUEUE,
  QUEUE_CONFIG,
  startLaunchWorld,
  TEMPLATED_QUEUE,
  type LaunchWorld,
} from './setup.ts';

const IMAGE = 'us-docker.pkg.dev/my-proj-1/r/trainer:1';
let world: LaunchWorld;
beforeAll(async () => {
  world = await startLaunchWorld();
});
afterAll(async () => world?.close());
beforeEach(async () => world.reset());

const wandbOperations = () => world.wandb.requests.map((r) => r.operationName);

test("a queue's config with its template variables: filled, typed and launched", async () => {
  world.wandb.addQueue(QUEUE, TEMPLATED_QUEUE);
  const result = await world.run({
    'wandb-queue': QUEUE,
    'template-variables': 'gpu_count=2\nmachine_type=n1-standard-8',
    image: IMAGE,
    wait: 'false',
  });
  expect(result.errors).toEqual([]);
  expect(result.code).toBe(0);
  const [request] = creates(world.vertex);
  expect(firstPool(request)).toMatchObject({
    machineSpec: {
      machineType: 'n1-standard-8',
      acceleratorType: 'NVIDIA_TESLA_T4',
      acceleratorCount: 2,
    },
    containerSpec: { imageUri: IMAGE },
  });
  expect(result.stdout).toContain(
    'Queue config from wandb queue octo-team/vertex-queue, template variables gpu_count=2, machine_type="n1-standard-8".',
  );
  // As W&B's Vertex runner sets them for a run from a queue.
  expect(envOf(firstPool(request))).toMatchObject({
    WANDB_LAUNCH: 'True',
    WANDB_DOCKER: IMAGE,
    WANDB_LAUNCH_QUEUE_NAME: 'vertex-queue',
    WANDB_LAUNCH_QUEUE_ENTITY: 'octo-team',
    WANDB_PROJECT: 'vertex-runs',
    WANDB_ENTITY: 'octo-team',
  });
  expect(wandbOperations()).toEqual(['GetRunQueueMetadata', 'GetDefaultResourceConfig']);
});

test('a launch from a file sets WANDB_LAUNCH and WANDB_DOCKER, and no queue variables', async () => {
  const result = await world.run({
    'queue-config': 'examples/queue-config.yaml',
    image: IMAGE,
    wait: 'false',
  });
  expect(result.errors).toEqual([]);
  const env = envOf(firstPool(creates(world.vertex)[0]));
  expect(env).toMatchObject({ WANDB_LAUNCH: 'True', WANDB_DOCKER: IMAGE });
  expect(Object.keys(env).filter((k) => k.startsWith('WANDB_LAUNCH_'))).toEqual([]);
  expect(world.wandb.requests).toEqual([]);
});

test('a queue without template variables, named by QUEUE with wandb-entity', async () => {
  const config = structuredClone(QUEUE_CONFIG);
  Object.assign(config.spec.worker_pool_specs[0].machine_spec, {
    machine_type: 'n1-standard-4',
    accelerator_count: 1,
  });
  world.wandb.addQueue(QUEUE, { config });
  const result = await world.run({ 'wandb-queue': 'vertex-queue', image: IMAGE, wait: 'false' });
  expect(result.errors).toEqual([]);
  expect(firstPool(creates(world.vertex)[0])).toMatchObject({
    machineSpec: { machineType: 'n1-standard-4', acceleratorCount: 1 },
  });
});

test('values out of their schema and an unknown name: refused before any Vertex or GitHub call', async () => {
  world.wandb.addQueue(QUEUE, TEMPLATED_QUEUE);
  const result = await world.run({
    'wandb-queue': QUEUE,
    'template-variables': 'gpu_count=9\nmachine_type=n2-standard-8\nregion=eu',
    image: IMAGE,
  });
  expect(result.code).toBe(1);
  const text = errorText(result);
  expect(text).toContain('wb-vertex-launch: inputs: 3 problems in template-variables');
  expect(text).toContain(
    'template-variables: gpu_count="9" is not allowed: gpu_count takes an integer from 1 to 4',
  );
  expect(text).toContain(
    'template-variables: machine_type="n2-standard-8" is not allowed: machine_type takes one of "n1-standard-4", "n1-standard-8"',
  );
  expect(text).toContain('template-variables: region is not a template variable of wandb queue');
  expect(world.vertex.record().calls).toEqual([]);
  expect(world.github.requests).toEqual([]);
  expect(wandbOperations()).toEqual(['GetRunQueueMetadata', 'GetDefaultResourceConfig']);
});

test('a malformed template-variables line is refused before any call at all', async () => {
  world.wandb.addQueue(QUEUE, TEMPLATED_QUEUE);
  const result = await world.run({
    'wandb-queue': QUEUE,
    'template-variables': 'gpu_count',
    image: IMAGE,
  });
  expect(result.code).toBe(1);
  expect(errorText(result)).toContain('template-variables: line 1 is not KEY=VALUE');
  expect(world.wandb.requests).toEqual([]);
  expect(world.vertex.record().calls).toEqual([]);
});

test('a queue whose resource is not gcp-vertex is a clear error', async () => {
  world.wandb.addQueue(QUEUE, { resource: 'kubernetes', config: { spec: {} } });
  const result = await world.run({ 'wandb-queue': QUEUE, image: IMAGE });
  expect(result.code).toBe(1);
  expect(errorText(result)).toContain(
    'wandb queue octo-team/vertex-queue: its resource is kubernetes, not gcp-vertex',
  );
  expect(world.vertex.record().calls).toEqual([]);
});

test("the compiler's problems are located in the queue's config, named by the queue", async () => {
  const config = structuredClone(QUEUE_CONFIG);
  const pool = config.spec.worker_pool_specs[0] as Record<string, unknown>;
  pool.machine_spec = { machineType: 'n1-standard-4' };
  world.wandb.addQueue(QUEUE, { config });
  const result = await world.run({ 'wandb-queue': QUEUE, image: IMAGE });
  expect(result.code).toBe(1);
  const text = errorText(result);
  expect(text).toContain('queue-config: 1 problem in wandb queue octo-team/vertex-queue');
  expect(text).toMatch(
    /wandb queue octo-team\/vertex-queue: spec\.worker_pool_specs\[0\]\.machine_spec\.machineType: /,
  );
  expect(world.vertex.record().calls).toEqual([]);
});

test('a queue W&B does not have, and a refused key, say so', async () => {
  const missing = await world.run({ 'wandb-queue': 'octo-team/nope', image: IMAGE });
  expect(errorText(missing)).toContain('W&B has no wandb queue octo-team/nope');
  world.wandb.addQueue(QUEUE, TEMPLATED_QUEUE);
  const refused = await world.run({
    'wandb-queue': QUEUE,
    image: IMAGE,
    'wandb-api-key': 'local-not-a-key-0000000000000000000000000',
  });
  expect(errorText(refused)).toContain('Check the wandb-api-key secret');
  expect(world.vertex.record().calls).toEqual([]);
});

test("a dry run reads the queue from W&B, and preflight's findings name the queue, without a line", async () => {
  const config = structuredClone(QUEUE_CONFIG);
  Object.assign(config.spec.worker_pool_specs[0].machine_spec, {
    machine_type: 'n1-standard-4',
    accelerator_type: 'NVIDIA_A100_80GB',
    accelerator_count: 1,
  });
  world.wandb.addQueue(QUEUE, { config });
  const result = await world.run({
    'wandb-queue': QUEUE,
    image: IMAGE,
    'dry-run': 'true',
    preflight: 'true',
  });
  expect(result.code).toBe(1);
  expect(errorText(result)).toMatch(
    /\n {2}wandb queue octo-team\/vertex-queue: spec\.worker_pool_specs\[0\]\.machine_spec\.accelerator_type: /,
  );
  expect(world.wandb.requests.map((r) => r.operationName)).toEqual([
    'GetRunQueueMetadata',
    'GetDefaultResourceConfig',
  ]);
  expect(world.vertex.record().calls).toEqual([]);
});
