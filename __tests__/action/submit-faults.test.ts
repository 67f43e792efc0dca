// CreateCustomJob faults, through the bundled main step: errors that retrying cannot fix end
// the step at once with a clear message and no job; a lost Create response never becomes a
// second job.
import type { VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { runAction } from '../helpers/action-runner.ts';
import { calls, jobs, launchInputs, onlyJob, startEmulator, TIME_ENV } from './fixture.ts';

let emulator: VertexEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});
beforeEach(() => emulator.reset());

async function launch(scenario: string) {
  emulator.queueScenarios(scenario);
  const result = await runAction({ inputs: launchInputs(emulator), env: TIME_ENV });
  return { result, record: emulator.record() };
}

test('RESOURCE_EXHAUSTED (quota) on Create: exit 1 naming the quota, one attempt, zero jobs', async () => {
  const { result, record } = await launch('create-resource-exhausted');
  expect(result.code).toBe(1);
  expect(record.jobsCreated).toBe(0);
  expect(jobs(record)).toHaveLength(0);
  expect(calls(record, 'CreateCustomJob')).toHaveLength(1);
  expect(calls(record, 'GetCustomJob')).toHaveLength(0);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]).toContain('submit');
  expect(result.errors[0]).toContain('RESOURCE_EXHAUSTED');
  expect(result.errors[0]).toContain('custom_model_training_cpus');
  expect(result.outputs['job-name']).toBeUndefined();
  expect(result.state['job-phase']).toBeUndefined();
  // A clear message, not a stack trace.
  expect(result.stdout).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
});

test('INVALID_ARGUMENT on Create: exit 1 with the service message, one attempt, zero jobs', async () => {
  const { result, record } = await launch('create-invalid-argument');
  expect(result.code).toBe(1);
  expect(record.jobsCreated).toBe(0);
  expect(calls(record, 'CreateCustomJob')).toHaveLength(1);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]).toContain('INVALID_ARGUMENT');
  expect(result.errors[0]).toContain('invalid argument');
  expect(result.outputs['job-name']).toBeUndefined();
});

test('Create response lost (job created, UNAVAILABLE returned): found by its launch label, exactly one job', async () => {
  const { result, record } = await launch('create-response-lost');
  expect(result.code).toBe(0);
  expect(record.jobsCreated).toBe(1);
  const job = onlyJob(record);
  expect(calls(record, 'CreateCustomJob')).toHaveLength(1);
  expect(calls(record, 'CreateCustomJob')[0].code).toBe(14);
  // Listed by the launch label only after the lost response, never before the first Create.
  const lists = calls(record, 'ListCustomJobs');
  expect(lists).toHaveLength(1);
  expect(record.calls.map((c) => c.method).indexOf('ListCustomJobs')).toBeGreaterThan(
    record.calls.map((c) => c.method).indexOf('CreateCustomJob'),
  );
  expect(String(lists[0].request.filter)).toContain(job.labels['wb-vertex-launch-id']);
  expect(result.outputs['job-name']).toBe(job.name);
  expect(result.outputs['job-state']).toBe('JOB_STATE_SUCCEEDED');
  expect(result.stdout).toContain('created despite the error');
});

test('Create UNAVAILABLE with no job made: retried with backoff, bounded attempts, then a clear error', async () => {
  emulator.queueScenarios(...Array(10).fill('create-unavailable'));
  const result = await runAction({ inputs: launchInputs(emulator), env: TIME_ENV });
  const record = emulator.record();
  expect(result.code).toBe(1);
  expect(record.jobsCreated).toBe(0);
  const creates = calls(record, 'CreateCustomJob');
  // A handful of attempts, not a retry storm.
  expect(creates.length).toBeGreaterThan(1);
  expect(creates.length).toBeLessThanOrEqual(5);
  expect(result.errors[0]).toContain('UNAVAILABLE');
  expect(result.errors[0]).toContain('none was created');
});
