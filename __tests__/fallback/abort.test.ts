// A workflow cancelled while the launch runs in its second region: only the live attempt's job
// is cancelled, inside the runner's grace, and no further region is tried.
import type { VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { runAction, startAction } from '../helpers/action-runner.ts';
import { calls, startEmulator, TIME_ENV, until } from '../action/fixture.ts';
import { creates, GPU, gpuInputs } from './setup.ts';

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

type Job = { name: string; state: string };

test('SIGINT during the second attempt cancels only that job, within the grace, and makes no third Create', async () => {
  emulator.setCapacity('us-central1', { outOf: [GPU] });
  emulator.queueScenarios('run-forever');
  const inputs = gpuInputs(emulator, { 'fallback-regions': 'us-east4, us-west1' });
  const running = await startAction({ inputs, env: TIME_ENV });
  // The first job never runs (it stocks out); RUNNING is the second attempt's job.
  await running.waitForLog(/is RUNNING\./);
  const second = (emulator.record().jobs as Job[]).find((j) => j.name.includes('/us-east4/'))!;
  expect(second.state).toBe('JOB_STATE_RUNNING');
  // Post-step state names the live attempt's job.
  expect((await running.stateNow())['job-name']).toBe(second.name);
  expect((await running.outputsNow()).region).toBe('us-east4');

  const interruptedAt = Date.now();
  running.kill('SIGINT');
  const result = await running.done;
  expect(Date.now() - interruptedAt).toBeLessThan(GRACE_MS);
  expect(result.signal).toBeNull();
  expect(result.code).toBe(1);
  expect(result.errors.at(-1)).toMatch(/cancelled/);

  const record = await until(emulator, (r) =>
    (r.jobs as Job[]).some((j) => j.name === second.name && j.state === 'JOB_STATE_CANCELLED'),
  );
  expect(creates(record).map((c) => c.region)).toEqual(['us-central1', 'us-east4']);
  expect(calls(record, 'CancelCustomJob').map((c) => c.request.name)).toEqual([second.name]);
  expect(result.state['job-name']).toBe(second.name);
  expect(result.state['job-phase']).toBe('cancel-requested');

  // The post step sees main handled it: nothing more is cancelled.
  const post = await runAction({
    step: 'post',
    inputs,
    env: TIME_ENV,
    state: result.state,
    runnerTemp: result.runnerTemp,
  });
  expect(post.code).toBe(0);
  expect(calls(emulator.record(), 'CancelCustomJob')).toHaveLength(1);
});

test('main killed during the second attempt: the post step cancels that job, not the first', async () => {
  emulator.setCapacity('us-central1', { outOf: [GPU] });
  emulator.queueScenarios('run-forever');
  const inputs = gpuInputs(emulator, { 'fallback-regions': 'us-east4' });
  const running = await startAction({ inputs, env: TIME_ENV });
  await running.waitForLog(/is RUNNING\./);
  running.kill('SIGKILL');
  const main = await running.done;
  const second = (emulator.record().jobs as Job[]).find((j) => j.name.includes('/us-east4/'))!;
  expect(main.state['job-name']).toBe(second.name);
  expect(main.state['job-phase']).toBe('following');

  const post = await runAction({
    step: 'post',
    inputs,
    env: TIME_ENV,
    state: main.state,
    runnerTemp: main.runnerTemp,
  });
  expect(post.code).toBe(0);
  const record = await until(emulator, (r) =>
    (r.jobs as Job[]).some((j) => j.name === second.name && j.state === 'JOB_STATE_CANCELLED'),
  );
  expect(calls(record, 'CancelCustomJob').map((c) => c.request.name)).toEqual([second.name]);
});
