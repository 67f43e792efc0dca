// A cancelled workflow, as the runner does it: SIGINT to the main step (then SIGTERM 7.5 s
// later), and the post step that always runs with main's saved state as STATE_<name>.
import type { VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { runAction, startAction } from '../helpers/action-runner.ts';
import { calls, launchInputs, onlyJob, startEmulator, TIME_ENV, until } from './fixture.ts';

let emulator: VertexEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});
beforeEach(() => emulator.reset());

/** The runner's grace between SIGINT and SIGTERM. */
const GRACE_MS = 7_500;

test('job-name is an output while the job still runs; SIGINT then cancels the job inside the grace', async () => {
  emulator.queueScenarios('run-forever');
  const running = await startAction({ inputs: launchInputs(emulator), env: TIME_ENV });
  await running.waitForLog(/is RUNNING\./);

  // Later steps get the handle before any waiting ends.
  const job = onlyJob(emulator.record());
  expect(job.state).toBe('JOB_STATE_RUNNING');
  const outputs = await running.outputsNow();
  expect(outputs['job-name']).toBe(job.name);
  expect(outputs['job-url']).toContain(job.id);
  expect((await running.stateNow())['job-phase']).toBe('following');

  const interruptedAt = Date.now();
  running.kill('SIGINT');
  const result = await running.done;
  expect(Date.now() - interruptedAt).toBeLessThan(GRACE_MS);
  expect(result.signal).toBeNull();
  expect(result.code).toBe(1);
  expect(result.errors.at(-1)).toMatch(/cancelled/);

  const record = await until(
    emulator,
    (r) => (r.jobs[0] as { state: string }).state === 'JOB_STATE_CANCELLED',
  );
  expect(record.jobsCreated).toBe(1);
  expect(calls(record, 'CancelCustomJob')).toHaveLength(1);
  expect(calls(record, 'CancelCustomJob')[0].request.name).toBe(job.name);
  // Main handled the cancel itself: the post step must not do it again.
  expect(result.state['job-phase']).toBe('cancel-requested');
  expect(result.summary).toMatch(/cancel/i);
  // job-state is the last known state: the one the cancel left, not the RUNNING seen before.
  expect(result.outputs['job-state']).toMatch(/^JOB_STATE_CANCELL(ING|ED)$/);

  const post = await runAction({
    step: 'post',
    inputs: launchInputs(emulator),
    env: TIME_ENV,
    state: result.state,
    runnerTemp: result.runnerTemp,
  });
  expect(post.code).toBe(0);
  expect(calls(emulator.record(), 'CancelCustomJob')).toHaveLength(1);
});

test('main killed while following (SIGKILL): the post step cancels the job from the saved state', async () => {
  emulator.queueScenarios('run-forever');
  const inputs = launchInputs(emulator);
  const running = await startAction({ inputs, env: TIME_ENV });
  await running.waitForLog(/is RUNNING\./);
  running.kill('SIGKILL');
  const main = await running.done;
  expect(main.signal).toBe('SIGKILL');
  expect(main.state['job-phase']).toBe('following');
  const job = onlyJob(emulator.record());
  expect(main.state['job-name']).toBe(job.name);
  expect(calls(emulator.record(), 'CancelCustomJob')).toHaveLength(0);

  const post = await runAction({
    step: 'post',
    inputs,
    env: TIME_ENV,
    state: main.state,
    runnerTemp: main.runnerTemp,
  });
  expect(post.code).toBe(0);
  expect(post.stdout).not.toMatch(/^::warning::wb-vertex-launch: post step:/m);
  const record = await until(
    emulator,
    (r) => (r.jobs[0] as { state: string }).state === 'JOB_STATE_CANCELLED',
  );
  expect(calls(record, 'CancelCustomJob')).toHaveLength(1);
  expect(calls(record, 'CancelCustomJob')[0].request.name).toBe(job.name);
  expect(record.jobsCreated).toBe(1);
});

test('post after a normal finish does nothing: no CancelCustomJob, no RPC at all', async () => {
  emulator.queueScenarios('succeed');
  const inputs = launchInputs(emulator);
  const main = await runAction({ inputs, env: TIME_ENV });
  expect(main.code).toBe(0);
  const before = emulator.record().calls.length;
  const post = await runAction({
    step: 'post',
    inputs,
    env: TIME_ENV,
    state: main.state,
    runnerTemp: main.runnerTemp,
  });
  expect(post.code).toBe(0);
  expect(post.stdout).not.toMatch(/::warning::/);
  const record = emulator.record();
  expect(calls(record, 'CancelCustomJob')).toHaveLength(0);
  expect(record.calls.length).toBe(before);
  expect(onlyJob(record).state).toBe('JOB_STATE_SUCCEEDED');
});
