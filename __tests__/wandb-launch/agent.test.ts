// `agent: true` through the bundled action against the W&B, Vertex and GitHub stand-ins: one
// pass over a queue of mixed items. Vertex items are launched as W&B's Vertex runner would,
// each acked before its Create (the order of calls across the W&B and Vertex stand-ins); a
// Kubernetes item and an item that needs a build are failed in W&B with their stage; an item
// another agent acked first is skipped; a Create Vertex refuses fails its item with Vertex's
// reason; none of them stops the others. An empty queue is a quiet success.
import { ITEM_KEY, JOB_IMAGE, QUEUE, startLaunchWorld, TEMPLATED_QUEUE } from './setup.ts';
import { creates, envOf, firstPool, type LaunchWorld } from './setup.ts';

let world: LaunchWorld;
beforeAll(async () => {
  world = await startLaunchWorld();
});
afterAll(async () => world?.close());
beforeEach(async () => world.reset());

const IMAGE_A = 'us-docker.pkg.dev/my-proj-1/r/sweep:7';
const VALUES = { machine_type: 'n1-standard-4' };
const number = (id: string) => Buffer.from(id, 'base64').toString().split(':')[1];
const labelsOf = (request: Record<string, unknown>) =>
  (request.customJob as { labels: Record<string, string> }).labels;

function seedMixedQueue() {
  world.wandb.addQueue(QUEUE, TEMPLATED_QUEUE);
  world.wandb.addArtifact('octo-team/vertex-runs/trainer', {
    files: {
      'wandb-job.json': JSON.stringify({
        source_type: 'image',
        source: { image: JOB_IMAGE, entrypoint: ['python', 'job.py'] },
      }),
    },
  });
  world.wandb.addArtifact('octo-team/vertex-runs/from-repo', {
    files: { 'wandb-job.json': JSON.stringify({ source_type: 'repo', source: { git: {} } }) },
  });
  const place = { entity: 'octo-team', project: 'vertex-runs' };
  const add = (runSpec: Record<string, unknown>, values: Record<string, unknown> = VALUES) =>
    world.wandb.enqueue(QUEUE, {
      runSpec: { ...place, ...runSpec },
      templateVariableValues: values,
    });
  const ids = {
    image: add(
      {
        docker: { docker_image: IMAGE_A },
        overrides: {
          entry_point: ['python', 'train.py'],
          args: ['--epochs', '3'],
          run_config: { lr: 0.1 },
        },
        name: 'lr-0.1',
        run_id: 'runaaaa1',
        _wandb_api_key: ITEM_KEY,
      },
      { machine_type: 'n1-standard-8', gpu_count: 2 },
    ),
    job: add({ job: 'octo-team/vertex-runs/trainer:latest' }),
    kubernetes: add({ resource: 'kubernetes', docker: { docker_image: IMAGE_A } }),
    build: add({ job: 'octo-team/vertex-runs/from-repo:latest' }),
    race: add({ docker: { docker_image: IMAGE_A } }),
    refused: add({
      docker: { docker_image: IMAGE_A },
      resource_args: {
        'gcp-vertex': {
          spec: {
            worker_pool_specs: [
              {
                machine_spec: { machine_type: 'n1-standard-4' },
                replica_count: 2,
                container_spec: { image_uri: '${image_uri}' },
              },
            ],
          },
        },
      },
    }),
  };
  world.wandb.loseAckRace(ids.race);
  return ids;
}

test('a pass over mixed items: launched, failed with their stage, skipped; each acked before its Create', async () => {
  const ids = seedMixedQueue();
  const result = await world.run({
    agent: 'true',
    'wandb-queue': QUEUE,
    'agent-max-items': '10',
    wait: 'false',
  });
  expect(result.errors).toEqual([]);
  expect(result.code).toBe(0);

  // Every Create came after its item's ack, across the two stand-ins.
  const calls = world.vertex.record().calls.filter((c) => c.method === 'CreateCustomJob');
  expect(calls).toHaveLength(3);
  for (const create of calls) {
    const item = labelsOf(create.request)['wandb-run-queue-item'];
    const ack = world.wandb.requests.find(
      (r) => r.operationName === 'ackRunQueueItem' && number(String(r.variables.itemId)) === item,
    );
    expect(ack).toBeDefined();
    expect(ack!.seq).toBeLessThan(create.seq);
  }
  const byItem = new Map(
    creates(world.vertex).map((r) => [labelsOf(r)['wandb-run-queue-item'], r]),
  );

  // The image item, as W&B's Vertex runner launches it.
  const a = byItem.get(number(ids.image))!;
  expect(firstPool(a)).toMatchObject({
    machineSpec: { machineType: 'n1-standard-8', acceleratorCount: 2 },
    containerSpec: { imageUri: IMAGE_A, command: ['python', 'train.py', '--epochs', '3'] },
  });
  expect(envOf(firstPool(a))).toMatchObject({
    WANDB_API_KEY: ITEM_KEY,
    WANDB_RUN_ID: 'runaaaa1',
    WANDB_LAUNCH: 'True',
    WANDB_DOCKER: IMAGE_A,
    WANDB_NAME: 'lr-0.1',
    WANDB_CONFIG: '{"lr":0.1}',
    WANDB_LAUNCH_QUEUE_NAME: 'vertex-queue',
    WANDB_LAUNCH_QUEUE_ENTITY: 'octo-team',
    WANDB_LAUNCH_TRACE_ID: ids.image,
    WANDB_PROJECT: 'vertex-runs',
    WANDB_ENTITY: 'octo-team',
  });
  expect(labelsOf(a)).toMatchObject({
    'wandb-queue': 'octo-team_vertex-queue',
    'wandb-run-queue-item': number(ids.image),
    'wandb-run-id': 'runaaaa1',
    'managed-by': 'wb-vertex-launch',
  });
  expect((a.customJob as { displayName: string }).displayName).toBe('lr-0.1');

  // The job item: the job's image and entrypoint; the run records the job.
  const b = byItem.get(number(ids.job))!;
  expect(firstPool(b).containerSpec).toMatchObject({
    imageUri: JOB_IMAGE,
    command: ['python', 'job.py'],
  });
  expect(JSON.parse(envOf(firstPool(b)).WANDB_ARTIFACTS)).toEqual({
    _wandb_job: 'octo-team/vertex-runs/trainer:latest',
  });

  // W&B's view of each item.
  const items = new Map(world.wandb.queueItems(QUEUE).map((i) => [i.id, i]));
  expect(items.get(ids.image)).toMatchObject({ state: 'LEASED', associatedRunId: 'runaaaa1' });
  expect(items.get(ids.job)?.state).toBe('LEASED');
  expect(items.get(ids.kubernetes)).toMatchObject({ state: 'FAILED', failure: { stage: 'agent' } });
  expect(items.get(ids.kubernetes)?.failure?.message).toContain('its resource is kubernetes');
  expect(items.get(ids.build)).toMatchObject({ state: 'FAILED', failure: { stage: 'build' } });
  expect(items.get(ids.build)?.failure?.message).toContain('has source type repo');
  expect(items.get(ids.race)).toMatchObject({ state: 'LEASED', associatedRunId: 'elsewhere' });
  expect(items.get(ids.refused)).toMatchObject({ state: 'FAILED', failure: { stage: 'agent' } });
  expect(items.get(ids.refused)?.failure?.message).toContain(
    'INVALID_ARGUMENT: custom_job.job_spec.worker_pool_specs[0].replica_count must be 1',
  );
  const failed = world.wandb.requests.filter((r) => r.operationName === 'failRunQueueItem');
  expect(failed.map((r) => number(String(r.variables.runQueueItemId))).sort()).toEqual(
    [ids.kubernetes, ids.build, ids.refused].map(number).sort(),
  );

  // The step's account: the output in the queue's order, the summary, the check runs.
  const output = JSON.parse(result.outputs['wandb-run-queue-items']);
  expect(output.map((o: { item: string; state: string }) => [o.item, o.state])).toEqual([
    [ids.image, 'launched'],
    [ids.job, 'launched'],
    [ids.kubernetes, 'failed'],
    [ids.build, 'failed'],
    [ids.race, 'skipped'],
    [ids.refused, 'failed'],
  ]);
  expect(output[0]['job-name']).toMatch(
    /^projects\/my-proj-1\/locations\/us-central1\/customJobs\/\d+$/,
  );
  expect(result.summary).toContain('6 items taken: **2 launched**, 3 failed, 1 skipped.');
  expect(result.summary).toContain('failed at stage <code>build</code>');
  expect(result.summary).toContain('skipped: another agent took it');
  const checkRuns = [...world.github.checkRuns.values()];
  expect(checkRuns.map((r) => [r.name, r.status, r.conclusion ?? null]).sort()).toEqual(
    [
      [`Vertex AI: lr-0.1 (W&B queue item ${number(ids.image)})`, 'in_progress', null],
      [`Vertex AI: octo-team/vertex-queue item ${number(ids.job)}`, 'in_progress', null],
      [`Vertex AI: octo-team/vertex-queue item ${number(ids.refused)}`, 'completed', 'failure'],
    ].sort(),
  );
  expect(checkRuns.every((r) => r.head_sha === '0123456789abcdef0123456789abcdef01234567')).toBe(
    true,
  );
});

test('agent-max-items bounds the pass: the rest stay queued', async () => {
  world.wandb.addQueue(QUEUE, TEMPLATED_QUEUE);
  for (let i = 0; i < 3; i++)
    world.wandb.enqueue(QUEUE, {
      runSpec: { docker: { docker_image: IMAGE_A } },
      templateVariableValues: VALUES,
    });
  const result = await world.run({
    agent: 'true',
    'wandb-queue': QUEUE,
    'agent-max-items': '2',
    wait: 'false',
  });
  expect(result.code).toBe(0);
  expect(world.wandb.queueItems(QUEUE).map((i) => i.state)).toEqual([
    'LEASED',
    'LEASED',
    'PENDING',
  ]);
  expect(creates(world.vertex)).toHaveLength(2);
  const pops = world.wandb.requests.filter((r) => r.operationName === 'popFromRunQueue');
  expect(pops).toHaveLength(2);
});

test('an empty queue is a quiet success: one pop, nothing else', async () => {
  world.wandb.addQueue(QUEUE, TEMPLATED_QUEUE);
  const result = await world.run({ agent: 'true', 'wandb-queue': QUEUE, 'agent-max-items': '10' });
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(
    'wandb queue octo-team/vertex-queue is empty: nothing to launch.',
  );
  expect(result.stdout).not.toMatch(/::(warning|error)/);
  expect(result.outputs['wandb-run-queue-items']).toBe('[]');
  expect(result.summary).toBe('');
  expect(world.wandb.requests.map((r) => r.operationName)).toEqual(['popFromRunQueue']);
  expect(world.vertex.record().calls).toEqual([]);
  expect(world.github.requests).toEqual([]);
});

test('W&B refusing the pop fails the step, saying what to check', async () => {
  world.wandb.addQueue(QUEUE, TEMPLATED_QUEUE);
  const result = await world.run({
    agent: 'true',
    'wandb-queue': QUEUE,
    'wandb-api-key': 'local-not-a-key-0000000000000000000000000',
  });
  expect(result.code).toBe(1);
  expect(result.errors.join('\n')).toContain(
    'wb-vertex-launch: agent: cannot pop from wandb queue octo-team/vertex-queue',
  );
  expect(result.errors.join('\n')).toContain('Check the wandb-api-key secret');
});

test('agent inputs that do not go together are refused before any call', async () => {
  const result = await world.run({
    agent: 'true',
    'queue-config': 'examples/queue-config.yaml',
    image: IMAGE_A,
  });
  expect(result.code).toBe(1);
  const text = result.errors.join('\n');
  expect(text).toContain('agent: agent: true drains a W&B queue: give wandb-queue');
  expect(text).toContain('queue-config does not apply');
  expect(world.wandb.requests).toEqual([]);
});
