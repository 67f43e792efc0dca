// The bundled action against an emulator whose regions run out of GPUs: a stockout or a
// regional quota refusal moves the same request to the next of `fallback-regions`, once per
// region, and nothing else does.
import type { VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { runAction } from '../helpers/action-runner.ts';
import { startEmulator, TIME_ENV } from '../action/fixture.ts';
import { attemptRows, creates, GPU, gpuInputs } from './setup.ts';

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
