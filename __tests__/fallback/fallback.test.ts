// The bundled action against an emulator whose regions run out of GPUs: a stockout or a
// regional quota refusal moves the same request to the next of `fallback-regions`, once per
// region, and nothing else does.
import type { VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { runAction } from '../helpers/action-runner.ts';
import { startEmulator, TIME_ENV } from '../action/fixture.ts';
import { attemptRows, creates, GPU, GPU_CONFIG, gpuInputs } from './setup.ts';

let emulator: VertexEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});
beforeEach(() => emulator.reset());

const LABEL_LAUNCH_ID = 'wb-vertex-launch-id';

test('two stockouts, then success in the third region: 3 Creates in order, region set, every attempt reported', async () => {
  emulator.setCapacity('us-central1', { outOf: [GPU] });
  emulator.setCapacity('us-east4', { outOf: [GPU] });
  emulator.queueScenarios('succeed');
  const result = await runAction({
    inputs: gpuInputs(emulator, { 'fallback-regions': 'us-east4, us-west1' }),
    env: TIME_ENV,
  });
  expect(result.errors).toEqual([]);
  expect(result.code).toBe(0);

  const seen = creates(emulator.record());
  expect(seen.map((c) => c.region)).toEqual(['us-central1', 'us-east4', 'us-west1']);
  // The same request: labels but the launch id, display name, W&B run id; the bucket follows.
  const [first, ...later] = seen;
  for (const c of later) {
    const { [LABEL_LAUNCH_ID]: id, ...labels } = c.labels;
    const { [LABEL_LAUNCH_ID]: firstId, ...firstLabels } = first.labels;
    expect(labels).toEqual(firstLabels);
    expect(id).not.toBe(firstId);
    expect(c.displayName).toBe(first.displayName);
    expect(c.outputUriPrefix).toMatch(new RegExp(`^gs://staging-${c.region}/`));
  }
  expect(new Set(seen.map((c) => c.labels[LABEL_LAUNCH_ID])).size).toBe(3);

  const jobs = emulator.record().jobs as Array<{ name: string; state: string }>;
  const ran = jobs.find((j) => j.name.includes('/locations/us-west1/'))!;
  expect(ran.state).toBe('JOB_STATE_SUCCEEDED');
  expect(result.outputs.region).toBe('us-west1');
  expect(result.outputs['job-name']).toBe(ran.name);
  expect(result.outputs['job-state']).toBe('JOB_STATE_SUCCEEDED');
  expect(result.state['job-name']).toBe(ran.name);

  const rows = attemptRows(result.summary);
  expect(rows.map((r) => r.slice(0, 2))).toEqual([
    ['1', 'us-central1'],
    ['2', 'us-east4'],
    ['3', 'us-west1'],
  ]);
  expect(rows[0][2]).toMatch(/Stockout/);
  expect(rows[1][2]).toMatch(/Stockout/);
  expect(rows[2][2]).toMatch(/Succeeded/);
  expect(result.stdout).toMatch(/us-central1: no capacity .*goes to us-east4 next/);
});

test('a regional quota refusal at Create falls back; the refused region has no job', async () => {
  emulator.setCapacity('us-central1', { quotaExhausted: [GPU] });
  emulator.queueScenarios('succeed');
  const result = await runAction({
    inputs: gpuInputs(emulator, { 'fallback-regions': 'us-east4' }),
    env: TIME_ENV,
  });
  expect(result.code).toBe(0);
  const seen = creates(emulator.record());
  expect(seen.map((c) => [c.region, c.code])).toEqual([
    ['us-central1', 8],
    ['us-east4', 0],
  ]);
  expect(emulator.record().jobsCreated).toBe(1);
  expect(result.outputs.region).toBe('us-east4');
  const rows = attemptRows(result.summary);
  expect(rows.map((r) => r[1])).toEqual(['us-central1', 'us-east4']);
  expect(rows[0][2]).toMatch(/Create refused: regional quota/);
});

test('a training crash does not fall back: one Create, the failure as it is', async () => {
  emulator.queueScenarios('fail');
  const result = await runAction({
    inputs: gpuInputs(emulator, { 'fallback-regions': 'us-east4, us-west1' }),
    env: TIME_ENV,
  });
  expect(result.code).toBe(1);
  expect(creates(emulator.record()).map((c) => c.region)).toEqual(['us-central1']);
  expect(result.errors.at(-1)).toMatch(/JOB_STATE_FAILED: The replica workerpool0-0 exited/);
  expect(result.outputs.region).toBe('us-central1');
  expect(attemptRows(result.summary)).toEqual([]);
});

test('no fallback-regions: one Create, and the message names capacity and the input', async () => {
  emulator.setCapacity('us-central1', { outOf: [GPU] });
  const result = await runAction({ inputs: gpuInputs(emulator), env: TIME_ENV });
  expect(result.code).toBe(1);
  expect(creates(emulator.record())).toHaveLength(1);
  const error = result.errors.at(-1)!;
  expect(error).toMatch(/us-central1 has no capacity for this job/);
  expect(error).toContain('fallback-regions');
  expect(attemptRows(result.summary).map((r) => r[2])).toEqual([expect.stringMatching(/Stockout/)]);
});

test('every region out: one attempt each, and every outcome reported', async () => {
  emulator.setCapacity('us-central1', { outOf: [GPU] });
  emulator.setCapacity('us-east4', { quotaExhausted: [GPU] });
  emulator.setCapacity('us-west1', { outOf: [GPU] });
  const result = await runAction({
    inputs: gpuInputs(emulator, { 'fallback-regions': 'us-east4\nus-west1' }),
    env: TIME_ENV,
  });
  expect(result.code).toBe(1);
  expect(creates(emulator.record()).map((c) => c.region)).toEqual([
    'us-central1',
    'us-east4',
    'us-west1',
  ]);
  const error = result.errors.at(-1)!;
  expect(error).toContain(
    'tried us-central1 (stockout), us-east4 (quota refused at Create), us-west1 (stockout)',
  );
  const rows = attemptRows(result.summary);
  expect(rows.map((r) => r[1])).toEqual(['us-central1', 'us-east4', 'us-west1']);
  expect(rows.map((r) => r[2])).toEqual([
    expect.stringMatching(/Stockout/),
    expect.stringMatching(/Create refused/),
    expect.stringMatching(/Stockout/),
  ]);
  expect(result.summary).toMatch(/Failed|failure|❌/);
});

test('a single-region image with a fallback to another region: preflight says so, and nothing is created there', async () => {
  emulator.setCapacity('us-central1', { outOf: [GPU] });
  const result = await runAction({
    inputs: gpuInputs(emulator, {
      image: 'us-central1-docker.pkg.dev/my-proj-1/r/trainer:1',
      'fallback-regions': 'us-east4',
    }),
    env: TIME_ENV,
  });
  expect(result.code).toBe(1);
  expect(creates(emulator.record()).map((c) => c.region)).toEqual(['us-central1']);
  // Said before anything was submitted, on the input.
  const warning = result.stdout.indexOf('us-east4 is left out of the fallback regions');
  expect(warning).toBeGreaterThanOrEqual(0);
  expect(warning).toBeLessThan(result.stdout.indexOf('Created Vertex AI job'));
  expect(result.stdout).toMatch(
    /::warning .*fallback-regions.*us-east4 is left out .*image.* is in us-central1/,
  );
  const error = result.errors.at(-1)!;
  expect(error).toContain('tried us-central1 (stockout)');
  expect(error).toMatch(/Not tried \(preflight found them unusable\): us-east4: the image/);
});

test('{region} in the image: each attempt runs the image of its own region', async () => {
  emulator.setCapacity('us-central1', { outOf: [GPU] });
  emulator.queueScenarios('succeed');
  const result = await runAction({
    inputs: gpuInputs(emulator, {
      image: '{region}-docker.pkg.dev/my-proj-1/r/trainer:1',
      'fallback-regions': 'europe-west4',
    }),
    env: TIME_ENV,
  });
  expect(result.code).toBe(0);
  const images = emulator
    .record()
    .calls.filter((c) => c.method === 'CreateCustomJob')
    .map(
      (c) =>
        (
          c.request.customJob as {
            jobSpec: { workerPoolSpecs: Array<{ containerSpec: { imageUri: string } }> };
          }
        ).jobSpec.workerPoolSpecs[0].containerSpec.imageUri,
    );
  expect(images).toEqual([
    'us-central1-docker.pkg.dev/my-proj-1/r/trainer:1',
    'europe-west4-docker.pkg.dev/my-proj-1/r/trainer:1',
  ]);
  expect(result.outputs.region).toBe('europe-west4');
});

test('a FLEX_START job waiting for capacity: the log and the report say so, with the time left', async () => {
  emulator.queueScenarios('stuck-pending');
  const config = GPU_CONFIG.replace(
    'run:\n',
    'run:\n  scheduling_strategy: FLEX_START\n  max_wait_duration: 3600\n',
  );
  const result = await runAction({
    inputs: gpuInputs(emulator, { 'queue-config': config, 'wait-timeout': '2s' }),
    env: TIME_ENV,
  });
  expect(result.code).toBe(1);
  // Seconds into a one-hour wait: just under (or, rounded, exactly) an hour is left.
  const left =
    /Waiting for capacity \(FLEX_START\): (59m \d+s|1h 0m 0s) left of max_wait_duration 1h 0m 0s/;
  expect(result.stdout).toMatch(left);
  // The summary is written as the step ends, with the wait measured from the job's creation.
  expect(result.summary).toMatch(
    /Waiting for capacity \(FLEX_START\): up to 1h 0m 0s from its creation/,
  );
});

test("exactly once per region: a lost Create response in the fallback region finds that region's job by its own launch id", async () => {
  emulator.setCapacity('us-central1', { outOf: [GPU] });
  emulator.queueScenarios('create-response-lost');
  const result = await runAction({
    inputs: gpuInputs(emulator, { 'fallback-regions': 'us-east4, us-west1' }),
    env: TIME_ENV,
  });
  expect(result.code).toBe(0);
  const record = emulator.record();
  expect(creates(record).map((c) => [c.region, c.code])).toEqual([
    ['us-central1', 0],
    ['us-east4', 14],
  ]);
  // The lookup asks for the second attempt's launch id only, and adopts the job it made.
  const lookups = record.calls.filter((c) => c.method === 'ListCustomJobs');
  const secondId = creates(record)[1].labels[LABEL_LAUNCH_ID];
  expect(lookups.map((c) => c.request.parent)).toEqual(['projects/my-proj-1/locations/us-east4']);
  expect(String(lookups[0].request.filter)).toContain(secondId);
  expect(record.jobsCreated).toBe(2);
  expect(result.outputs.region).toBe('us-east4');
  expect(result.outputs['job-name']).toContain('/locations/us-east4/');
});
