// The bundled action's preflight as GitHub runs it, with the real Cloud Storage client and
// IAM calls against the local stand-ins: each mistake is a located error on its config key,
// all of a run's findings come at once, a refused check only warns, and a failing preflight
// never creates a job.
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import {
  annotations,
  BUCKET,
  LINE,
  queueConfig,
  RUN_AS,
  startPreflightWorld,
  type PreflightWorld,
} from './setup.ts';

let world: PreflightWorld;
beforeAll(async () => {
  world = await startPreflightWorld();
});
afterAll(async () => {
  await world?.close();
});
beforeEach(() => world.reset());

const located = (line: number, key: string) =>
  new RegExp(
    `^::error title=Preflight,file=queue\\.yaml,line=${line},col=\\d+::${key.replace(/[.[\]]/g, '\\$&')}: `,
  );

test('a clean pass launches: three checks, no finding, the job created and the summary says so', async () => {
  const result = await world.launch(queueConfig());
  expect(result.code).toBe(0);
  expect(annotations(result, 'error')).toEqual([]);
  expect(annotations(result, 'warning')).toEqual([]);
  expect(world.createCalls()).toBe(1);
  expect(world.storage.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
    `GET /storage/v1/b/${BUCKET}`,
    `GET /storage/v1/b/${BUCKET}/iam/testPermissions`,
  ]);
  expect(world.iam.requests.map((r) => r.path)).toEqual([
    `/v1/projects/my-proj-1/serviceAccounts/${RUN_AS}:testIamPermissions`,
  ]);
  expect(result.summary).toContain('### Preflight: ✅ passed');
  expect(result.summary).toContain(`gs://${BUCKET} (spec.staging\\_bucket): in us-central1`);
  expect(result.stdout).toMatch(/Preflight: 0 error\(s\), 0 warning\(s\), \d+ passed/);
});

test('a missing bucket: an error on spec.staging_bucket at its line, and no job', async () => {
  world.storage.store.buckets.clear();
  const result = await world.launch(queueConfig());
  expect(result.code).toBe(1);
  const [error] = annotations(result, 'error');
  expect(error).toMatch(located(LINE.stagingBucket, 'spec.staging_bucket'));
  expect(error).toContain(`gs://${BUCKET} does not exist`);
  expect(world.createCalls()).toBe(0);
  expect(result.outputs['job-name']).toBeUndefined();
  expect(result.summary).toContain('Preflight: ❌ 1 problem');
  // The step's failure names the phase.
  expect(result.errors.at(-1)).toContain('wb-vertex-launch: preflight: 1 problem found');
});

test('a bucket in the wrong region (a US multi-region for us-central1): an error, no job', async () => {
  world.storage.store.buckets.clear();
  world.addBucket(BUCKET, { location: 'US' });
  const result = await world.launch(queueConfig());
  expect(result.code).toBe(1);
  const [error] = annotations(result, 'error');
  expect(error).toMatch(located(LINE.stagingBucket, 'spec.staging_bucket'));
  expect(error).toContain('multi-region US');
  expect(error).toContain('--location=us-central1');
  expect(world.createCalls()).toBe(0);
});

test('a bucket the credentials cannot write: an error naming the role, no job', async () => {
  world.storage.store.buckets.clear();
  world.addBucket(BUCKET, { permissions: ['storage.buckets.get', 'storage.objects.get'] });
  const result = await world.launch(queueConfig());
  expect(result.code).toBe(1);
  const [error] = annotations(result, 'error');
  expect(error).toMatch(located(LINE.stagingBucket, 'spec.staging_bucket'));
  expect(error).toContain('may not create objects');
  expect(error).toContain('roles/storage.objectCreator');
  expect(world.createCalls()).toBe(0);
});

test('actAs denied: an error on run.service_account naming the role and the account, no job', async () => {
  world.iam.accounts.clear();
  world.iam.addAccount(RUN_AS, { actAs: false });
  const result = await world.launch(queueConfig());
  expect(result.code).toBe(1);
  const [error] = annotations(result, 'error');
  expect(error).toMatch(located(LINE.serviceAccount, 'run.service_account'));
  expect(error).toContain(`roles/iam.serviceAccountUser on ${RUN_AS}`);
  expect(world.createCalls()).toBe(0);
});

test('403 on the checks themselves: warnings, and the launch goes on', async () => {
  world.storage.store.buckets.clear();
  // May write, may not read the bucket's metadata: where it is cannot be known.
  world.addBucket(BUCKET, { permissions: ['storage.objects.create'] });
  world.iam.refuseCheck = true;
  const result = await world.launch(queueConfig());
  expect(result.code).toBe(0);
  expect(annotations(result, 'error')).toEqual([]);
  const warned = annotations(result, 'warning');
  expect(warned).toHaveLength(2);
  expect(warned.some((w) => w.includes('spec.staging_bucket') && w.includes('403'))).toBe(true);
  expect(warned.some((w) => w.includes('run.service_account') && w.includes('403'))).toBe(true);
  expect(world.createCalls()).toBe(1);
  expect(result.summary).toContain('Preflight: ⚠️ passed with 2 warnings');
});

test('a machine mismatch: an error on the accelerator_type line, found before any network call', async () => {
  const result = await world.launch(
    queueConfig({ machineType: 'a2-highgpu-1g', acceleratorType: 'NVIDIA_TESLA_T4' }),
  );
  expect(result.code).toBe(1);
  const [error] = annotations(result, 'error');
  expect(error).toMatch(
    located(LINE.acceleratorType, 'spec.worker_pool_specs[0].machine_spec.accelerator_type'),
  );
  expect(error).toContain('a2-highgpu-1g comes with exactly 1 NVIDIA_TESLA_A100');
  expect(world.createCalls()).toBe(0);
});

test('all three at once: bucket, service account and machine reported in one run', async () => {
  world.storage.store.buckets.clear();
  world.iam.accounts.clear();
  world.iam.addAccount(RUN_AS, { actAs: false });
  const result = await world.launch(
    queueConfig({ machineType: 'g2-standard-8', acceleratorType: 'NVIDIA_TESLA_T4' }),
  );
  expect(result.code).toBe(1);
  const errors = annotations(result, 'error');
  expect(errors).toHaveLength(3);
  expect(errors.map((e) => /line=(\d+)/.exec(e)?.[1]).sort()).toEqual(
    [LINE.acceleratorType, LINE.stagingBucket, LINE.serviceAccount].map(String).sort(),
  );
  expect(result.summary).toContain('Preflight: ❌ 3 problems');
  // The report's error (job summary, check run, PR comment) lists every one.
  expect(result.summary).toContain('Preflight found 3 problems; nothing was built or submitted.');
  expect(world.createCalls()).toBe(0);
});

test('preflight: false makes no Storage or IAM request, and the launch goes on', async () => {
  world.storage.store.buckets.clear();
  world.iam.accounts.clear();
  const result = await world.launch(queueConfig(), { preflight: 'false' });
  expect(result.code).toBe(0);
  expect(world.storage.requests).toEqual([]);
  expect(world.iam.requests).toEqual([]);
  expect(world.createCalls()).toBe(1);
  expect(result.summary).not.toContain('Preflight');
});

test('the checks run concurrently: all three requests are out before the first answer', async () => {
  world.storage.delayMs = 300;
  world.iam.delayMs = 300;
  try {
    const result = await world.launch(queueConfig());
    expect(result.code).toBe(0);
    const arrivals = [...world.storage.requests, ...world.iam.requests].map((r) => r.time);
    expect(arrivals).toHaveLength(3);
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeLessThan(300);
  } finally {
    world.storage.delayMs = 0;
    world.iam.delayMs = 0;
  }
});

test('a dry run runs the offline checks and calls nothing', async () => {
  const result = await world.launch(
    queueConfig({ machineType: 'n1-standard-4', acceleratorType: 'NVIDIA_L4' }),
    { 'dry-run': 'true' },
  );
  expect(result.code).toBe(1);
  const [error] = annotations(result, 'error');
  expect(error).toMatch(
    located(LINE.acceleratorType, 'spec.worker_pool_specs[0].machine_spec.accelerator_type'),
  );
  expect(error).toContain('N1 machines take');
  expect(world.storage.requests).toEqual([]);
  expect(world.iam.requests).toEqual([]);
  expect(world.vertex.record().calls).toEqual([]);
});

test('an unknown region and a cross-region registry are warnings; the launch goes on', async () => {
  world.storage.store.buckets.clear();
  world.addBucket(BUCKET, { location: 'MARS-NORTH1' });
  const result = await world.launch(queueConfig(), {
    region: 'mars-north1',
    image: 'europe-west4-docker.pkg.dev/my-proj-1/r/trainer:1',
  });
  expect(result.code).toBe(0);
  const warned = annotations(result, 'warning');
  expect(warned.some((w) => w.includes('::region: mars-north1 is not among'))).toBe(true);
  expect(warned.some((w) => w.includes('::image: registry') && w.includes('across regions'))).toBe(
    true,
  );
  expect(world.createCalls()).toBe(1);
});
