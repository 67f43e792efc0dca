// The bundled main step (`node dist/main/index.js`, as the runner starts it) against the Vertex
// emulator: each scripted job lifecycle ends in the right exit status, outputs, summary and
// step failure, and the emulator's own record shows exactly one job was created.
import type { VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { runAction } from '../helpers/action-runner.ts';
import { calls, launchInputs, onlyJob, startEmulator, TIME_ENV } from './fixture.ts';

let emulator: VertexEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});
beforeEach(() => emulator.reset());

const JOB_NAME = /^projects\/my-proj-1\/locations\/us-central1\/customJobs\/(\d+)$/;

async function launch(scenario: string, extra: Record<string, string> = {}) {
  emulator.queueScenarios(scenario);
  const result = await runAction({ inputs: launchInputs(emulator, extra), env: TIME_ENV });
  const record = emulator.record();
  return { result, record, job: onlyJob(record) };
}

test('a succeeding job: exit 0, every output, a summary, one Create', async () => {
  const { result, record, job } = await launch('succeed');
  expect(result.code).toBe(0);
  expect(result.errors).toEqual([]);
  expect(record.jobsCreated).toBe(1);
  expect(calls(record, 'CreateCustomJob')).toHaveLength(1);
  expect(job.state).toBe('JOB_STATE_SUCCEEDED');
  expect(result.outputs['job-name']).toBe(job.name);
  expect(result.outputs['job-name']).toMatch(JOB_NAME);
  expect(result.outputs['job-id']).toBe(job.id);
  expect(result.outputs['job-state']).toBe('JOB_STATE_SUCCEEDED');
  expect(result.outputs['job-url']).toBe(
    `https://console.cloud.google.com/vertex-ai/locations/us-central1/training/${job.id}?project=my-proj-1`,
  );
  expect(result.outputs['image-uri']).toBe('us-docker.pkg.dev/my-proj-1/r/trainer:1');
  expect(result.outputs['request-file']).toContain(result.runnerTemp);
  // The state changes were reported as they happened, in order.
  const states = result.outputWrites.filter(([k]) => k === 'job-state').map(([, v]) => v);
  expect(states.indexOf('JOB_STATE_RUNNING')).toBeGreaterThan(states.indexOf('JOB_STATE_QUEUED'));
  expect(result.stdout).toMatch(/is RUNNING\./);
  expect(result.summary).toContain('Succeeded');
  expect(result.summary).toContain(job.id);
  // The job carries the launch label the submit phase looks it up by.
  expect(job.labels['wb-vertex-launch-id']).toMatch(/\S/);
  // Main let the post step know the job is finished with.
  expect(result.state['job-phase']).toBe('done');
  expect(result.state['job-name']).toBe(job.name);
});

test('a failing job: exit 1 with Vertex error message in the step failure and the summary', async () => {
  const { result, record, job } = await launch('fail');
  expect(result.code).toBe(1);
  expect(record.jobsCreated).toBe(1);
  expect(job.state).toBe('JOB_STATE_FAILED');
  expect(result.outputs['job-state']).toBe('JOB_STATE_FAILED');
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]).toContain('JOB_STATE_FAILED');
  expect(result.errors[0]).toContain('exited with a non-zero status of 1');
  expect(result.errors[0]).toContain(result.outputs['job-url']);
  expect(result.summary).toContain('exited with a non-zero status of 1');
});

test('a job cancelled by someone else on Vertex: exit 1, state CANCELLED, no Cancel call of ours', async () => {
  const { result, record, job } = await launch('cancelled-externally');
  expect(result.code).toBe(1);
  expect(record.jobsCreated).toBe(1);
  expect(job.state).toBe('JOB_STATE_CANCELLED');
  expect(result.outputs['job-state']).toBe('JOB_STATE_CANCELLED');
  expect(result.errors[0]).toContain('JOB_STATE_CANCELLED');
  expect(calls(record, 'CancelCustomJob')).toHaveLength(0);
  expect(result.summary).toMatch(/cancel/i);
});

test('an expired job (never started within max wait): exit 1 naming EXPIRED and the reason', async () => {
  const { result, record } = await launch('expired');
  expect(result.code).toBe(1);
  expect(record.jobsCreated).toBe(1);
  expect(result.outputs['job-state']).toBe('JOB_STATE_EXPIRED');
  expect(result.errors[0]).toContain('JOB_STATE_EXPIRED');
  expect(result.errors[0]).toContain('could not start within its maximum wait duration');
});

test('a partially succeeded job fails the step', async () => {
  const { result, record } = await launch('partially-succeeded');
  expect(result.code).toBe(1);
  expect(record.jobsCreated).toBe(1);
  expect(result.outputs['job-state']).toBe('JOB_STATE_PARTIALLY_SUCCEEDED');
  expect(result.errors[0]).toContain('JOB_STATE_PARTIALLY_SUCCEEDED');
});

test('bursts of UNAVAILABLE on GetCustomJob are retried and the step still succeeds', async () => {
  const { result, record, job } = await launch('get-unavailable-burst:4');
  expect(result.code).toBe(0);
  expect(record.jobsCreated).toBe(1);
  const gets = calls(record, 'GetCustomJob');
  expect(gets.filter((c) => c.code === 14)).toHaveLength(4); // 14 = UNAVAILABLE
  expect(gets.at(-1)!.code).toBe(0);
  expect(job.state).toBe('JOB_STATE_SUCCEEDED');
  expect(result.outputs['job-state']).toBe('JOB_STATE_SUCCEEDED');
});

test('stuck PENDING past wait-timeout: the step fails saying the job keeps running, with its link; no cancel', async () => {
  const { result, record, job } = await launch('stuck-pending', { 'wait-timeout': '1s' });
  expect(result.code).toBe(1);
  expect(record.jobsCreated).toBe(1);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]).toContain('wait-timeout');
  expect(result.errors[0]).toContain('keeps running');
  expect(result.errors[0]).toContain(job.name);
  expect(result.errors[0]).toContain(result.outputs['job-url']);
  expect(calls(record, 'CancelCustomJob')).toHaveLength(0);
  expect(job.state).toBe('JOB_STATE_PENDING');
  expect(result.outputs['job-state']).toBe('JOB_STATE_PENDING');
  // Stopping on purpose: the post step must not cancel it.
  expect(result.state['job-phase']).not.toBe('following');
  // Gave up after about the timeout, not at once and not much later.
  expect(result.elapsedMs).toBeGreaterThanOrEqual(1_000);
});

test('wait: false returns right after Create with the job-name output; no Get', async () => {
  const { result, record, job } = await launch('run-forever', { wait: 'false' });
  expect(result.code).toBe(0);
  expect(record.jobsCreated).toBe(1);
  expect(result.outputs['job-name']).toBe(job.name);
  expect(result.outputs['job-id']).toBe(job.id);
  expect(calls(record, 'GetCustomJob')).toHaveLength(0);
  expect(calls(record, 'CancelCustomJob')).toHaveLength(0);
  expect(job.state).not.toMatch(/SUCCEEDED|FAILED|CANCELL/);
  expect(result.state['job-phase']).toBe('detached');
});
