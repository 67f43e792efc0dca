// A queue item whose Vertex job ended without its W&B run ever starting is failed in W&B with
// stage `run`, through the bundled action against the W&B, Vertex and GitHub stand-ins: by the
// agent pass that waited on it, and by a later `reconcile` when the pass did not wait. An item
// whose run started is left alone.
import { jobEnded } from '../helpers/job-end.ts';
import { QUEUE, startLaunchWorld, TEMPLATED_QUEUE, type LaunchWorld } from './setup.ts';

let world: LaunchWorld;
beforeAll(async () => {
  world = await startLaunchWorld();
});
afterAll(async () => world?.close());
beforeEach(async () => world.reset());

const IMAGE = 'us-docker.pkg.dev/my-proj-1/r/trainer:3';

function enqueue(runId: string): string {
  return world.wandb.enqueue(QUEUE, {
    runSpec: {
      docker: { docker_image: IMAGE },
      entity: 'octo-team',
      project: 'vertex-runs',
      run_id: runId,
    },
    templateVariableValues: { machine_type: 'n1-standard-4' },
  });
}

const itemState = (id: string) => world.wandb.queueItems(QUEUE).find((i) => i.id === id);

test('after a wait: the item whose run never started is failed with stage run, the other is not', async () => {
  world.wandb.addQueue(QUEUE, TEMPLATED_QUEUE);
  const started = enqueue('runstart1');
  const never = enqueue('runnever1');
  world.wandb.addRun('octo-team/vertex-runs/runstart1', { state: 'finished' });
  const result = await world.run({
    agent: 'true',
    'wandb-queue': QUEUE,
    'agent-max-items': '5',
    wait: 'true',
  });
  expect(result.errors).toEqual([]);
  expect(result.code).toBe(0);
  expect(itemState(started)).toMatchObject({ state: 'LEASED' });
  expect(itemState(never)).toMatchObject({ state: 'FAILED', failure: { stage: 'run' } });
  expect(itemState(never)?.failure?.message).toMatch(
    /^The Vertex AI job projects\/my-proj-1\/locations\/us-central1\/customJobs\/\d+ ended SUCCEEDED without its W&B run octo-team\/vertex-runs\/runnever1 ever starting: the training never called wandb.init\(\)/,
  );
  const output = JSON.parse(result.outputs['wandb-run-queue-items']);
  expect(output.map((o: { state: string }) => o.state)).toEqual(['launched', 'failed']);
  expect(result.summary).toContain('failed at stage <code>run</code>');
  // Both jobs were followed to their end: their check runs are complete.
  const checkRuns = [...world.github.checkRuns.values()];
  expect(checkRuns.map((r) => [r.status, r.conclusion])).toEqual([
    ['completed', 'success'],
    ['completed', 'success'],
  ]);
});

test('after a reconcile: a detached item whose run never started is failed with stage run', async () => {
  world.wandb.addQueue(QUEUE, TEMPLATED_QUEUE);
  const started = enqueue('runstart2');
  const never = enqueue('runnever2');
  world.wandb.addRun('octo-team/vertex-runs/runstart2', { state: 'finished' });
  const pass = await world.run({
    agent: 'true',
    'wandb-queue': QUEUE,
    'agent-max-items': '5',
    wait: 'false',
  });
  expect(pass.code).toBe(0);
  expect(itemState(never)?.state).toBe('LEASED');
  for (const name of JSON.parse(pass.outputs['wandb-run-queue-items']).map(
    (o: { 'job-name': string }) => o['job-name'],
  ))
    await jobEnded(world.vertex, name);

  const reconciled = await world.run({ reconcile: 'true' });
  expect(reconciled.errors).toEqual([]);
  expect(reconciled.code).toBe(0);
  expect(itemState(started)?.state).toBe('LEASED');
  expect(itemState(never)).toMatchObject({ state: 'FAILED', failure: { stage: 'run' } });
  expect(reconciled.summary).toContain('2 completed now');
  const fails = world.wandb.requests.filter((r) => r.operationName === 'failRunQueueItem');
  expect(fails).toHaveLength(1);
});

test('reconcile without a W&B key leaves the items alone and says so', async () => {
  world.wandb.addQueue(QUEUE, TEMPLATED_QUEUE);
  const never = enqueue('runnever3');
  const pass = await world.run({ agent: 'true', 'wandb-queue': QUEUE, wait: 'false' });
  await jobEnded(world.vertex, JSON.parse(pass.outputs['wandb-run-queue-items'])[0]['job-name']);
  const reconciled = await world.run({ reconcile: 'true', 'wandb-api-key': '' });
  expect(reconciled.code).toBe(0);
  expect(reconciled.stdout).toContain(
    '1 ended job(s) ran W&B queue items: with wandb-api-key, reconcile fails in W&B those whose run never started.',
  );
  expect(itemState(never)?.state).toBe('LEASED');
});
