// `wandb-job` through the bundled action against the W&B, Vertex and GitHub stand-ins: an image
// job's image launched with nothing built, its entrypoint as the command, the job recorded for
// the run; a job that needs a build refused before anything is launched.
import {
  creates,
  errorText,
  envOf,
  firstPool,
  JOB_IMAGE,
  QUEUE,
  startLaunchWorld,
  TEMPLATED_QUEUE,
  type LaunchWorld,
} from './setup.ts';

let world: LaunchWorld;
beforeAll(async () => {
  world = await startLaunchWorld();
});
afterAll(async () => world?.close());
beforeEach(async () => world.reset());

const JOB = 'octo-team/vertex-runs/trainer';

function addJob(json: Record<string, unknown>): void {
  world.wandb.addArtifact(JOB, { files: { 'wandb-job.json': JSON.stringify(json) } });
}

test("an image job: its image runs, nothing built, its entrypoint the pools' command", async () => {
  addJob({
    source_type: 'image',
    source: { image: JOB_IMAGE, entrypoint: ['python', 'train.py'] },
  });
  const result = await world.run({
    'queue-config': 'examples/queue-config.yaml',
    'wandb-job': `${JOB}:latest`,
    wait: 'false',
  });
  expect(result.errors).toEqual([]);
  expect(result.code).toBe(0);
  const pool = firstPool(creates(world.vertex)[0]);
  expect(pool.containerSpec).toMatchObject({
    imageUri: JOB_IMAGE,
    command: ['python', 'train.py'],
  });
  expect(JSON.parse(envOf(pool).WANDB_ARTIFACTS)).toEqual({ _wandb_job: `${JOB}:latest` });
  expect(result.outputs['image-uri']).toBe(JOB_IMAGE);
  expect(result.outputs['image-digest']).toBeUndefined();
  expect(result.stdout).toContain(`W&B job ${JOB}:latest: image ${JOB_IMAGE}`);
  expect(result.stdout).not.toMatch(/Building|docker build/i);
  expect(world.wandb.requests.map((r) => r.operationName)).toEqual(['ArtifactMembershipFiles']);
  expect(world.wandb.fileRequests).toHaveLength(1);
});

test("a job with a W&B queue's config: both read from W&B, the job's image in the queue's pools", async () => {
  addJob({ source_type: 'image', source: { image: JOB_IMAGE } });
  world.wandb.addQueue(QUEUE, TEMPLATED_QUEUE);
  const result = await world.run({
    'wandb-queue': QUEUE,
    'template-variables': 'machine_type=n1-standard-4',
    'wandb-job': JOB,
    wait: 'false',
  });
  expect(result.errors).toEqual([]);
  const pool = firstPool(creates(world.vertex)[0]);
  expect(pool).toMatchObject({
    machineSpec: { machineType: 'n1-standard-4', acceleratorCount: 1 },
    containerSpec: { imageUri: JOB_IMAGE },
  });
  expect((pool.containerSpec as Record<string, unknown>).command).toBeUndefined();
});

test('a job that needs a build is refused, pointing at registry, before anything is launched', async () => {
  addJob({
    source_type: 'repo',
    source: { git: { remote: 'https://github.com/o/r', commit: 'abc' } },
  });
  const result = await world.run({
    'queue-config': 'examples/queue-config.yaml',
    'wandb-job': JOB,
  });
  expect(result.code).toBe(1);
  expect(errorText(result)).toContain(
    `wandb-job: W&B job ${JOB}:latest has source type repo, so its image would have to be built; wb-vertex-launch runs image jobs only: build from the repository with the registry input instead`,
  );
  expect(world.vertex.record().calls).toEqual([]);
});

test('wandb-job with image is refused as an input problem', async () => {
  const result = await world.run({
    'queue-config': 'examples/queue-config.yaml',
    'wandb-job': JOB,
    image: JOB_IMAGE,
  });
  expect(result.code).toBe(1);
  expect(errorText(result)).toContain('wandb-job: a W&B job brings its own image');
  expect(world.wandb.requests).toEqual([]);
});
