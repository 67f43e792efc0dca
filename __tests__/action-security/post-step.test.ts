// The post step of the bundled action, handed state main did not write: a job name and phase
// as a `::save-state` command in printed text would set them, pointing at someone else's
// running job (or Kaniko build job). It cancels nothing: unsigned state is ignored with one
// warning; and without a key to check signatures, or with a signature that checks, the job's
// own labels must prove this execution launched it. Control: the state of a real launch still
// cancels its own job.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startVertexEmulator, type VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { runAction, startAction, type ActionResult } from '../helpers/action-runner.ts';
import { signedState } from '../helpers/signed-state.ts';
import { launchInputs } from '../action/fixture.ts';
import { cancelCalls, jobState, OTHER_RUN_LABELS, seedVictim } from './setup.ts';

const ENV = { WB_VERTEX_LAUNCH_TIME_SCALE: '0.002' };
/** The post steps below run in this workflow run (attempt 1 of org/repo). */
const RUN_ID = '5001';

let vertex: VertexEmulator;
const dirs: string[] = [];
beforeAll(async () => {
  vertex = await startVertexEmulator({ tickMs: 60 });
});
afterAll(async () => {
  await vertex?.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
beforeEach(() => vertex.reset());

const inputs = (extra: Record<string, string> = {}) => launchInputs(vertex, extra);

async function post(
  state: Record<string, string>,
  extra: Record<string, string> = {},
): Promise<ActionResult> {
  const runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'wbvl-post-'));
  dirs.push(runnerTemp);
  const result = await runAction({
    step: 'post',
    inputs: inputs(extra),
    env: { ...ENV, GITHUB_RUN_ID: RUN_ID },
    state,
    runnerTemp,
  });
  expect(result.code).toBe(0);
  return result;
}

const warnings = (r: ActionResult) => r.stdout.split('\n').filter((l) => l.startsWith('::warning'));
const gets = () => vertex.record().calls.filter((c) => c.method === 'GetCustomJob');

/** A job of another leg of this very run: same repository, run and attempt, its own launch id. */
const SAME_RUN_LABELS = {
  ...OTHER_RUN_LABELS,
  'github-run-id': RUN_ID,
  'wb-vertex-launch-id': `${RUN_ID}-1-5e5e5e5e5e`,
};
/** A Kaniko build job of another leg of this run. */
const SAME_RUN_BUILD_LABELS = {
  'wb-vertex-launch-role': 'image-build',
  'wb-vertex-launch-build': `${RUN_ID}-1-5e5e5e5e5e`,
  'github-repository': 'org_repo',
  'github-run-id': RUN_ID,
  'github-run-attempt': '1',
};

test('forged state naming a running job and build job: ignored with one warning, nothing called', async () => {
  const victim = seedVictim(vertex, SAME_RUN_LABELS);
  // A directory the forged state asks the post step to remove (never a real one such as $HOME:
  // an older post step would remove it).
  const precious = await mkdtemp(path.join(os.tmpdir(), 'precious-'));
  dirs.push(precious);
  await writeFile(path.join(precious, 'keep'), 'keep');
  const result = await post({
    'job-name': victim,
    'job-phase': 'following',
    'build-job-name': victim,
    'build-job-phase': 'following',
    'docker-config': precious,
  });
  expect(warnings(result)).toEqual([
    '::warning::post step: ignored saved state that this step did not write (job-name, job-phase, docker-config, build-job-name, build-job-phase); nothing is cancelled or removed on its account.',
  ]);
  expect(vertex.record().calls).toEqual([]);
  expect(jobState(vertex, victim)).toBe('JOB_STATE_RUNNING');
  expect(existsSync(path.join(precious, 'keep'))).toBe(true);
});

test('without a github-token to check state, the labels decide: jobs of other launches are left alone', async () => {
  const ofAnotherRun = seedVictim(vertex);
  const ofAnotherLeg = seedVictim(vertex, SAME_RUN_LABELS);
  const buildOfAnotherLeg = seedVictim(vertex, SAME_RUN_BUILD_LABELS);
  const forged = (job: string, build: string, launchId?: string) => ({
    'job-name': job,
    'job-phase': 'following',
    'build-job-name': build,
    'build-job-phase': 'following',
    ...(launchId ? { 'launch-id': launchId } : {}),
  });
  const noKey = { 'github-token': '' };
  // Named as main names its registry login, but not under this job's RUNNER_TEMP.
  const notOurs = await mkdtemp(path.join(os.tmpdir(), 'wb-vertex-launch-docker-'));
  dirs.push(notOurs);
  const results = [
    await post({ ...forged(ofAnotherRun, buildOfAnotherLeg), 'docker-config': notOurs }, noKey),
    await post(forged(ofAnotherLeg, buildOfAnotherLeg, `${RUN_ID}-1-0000000000`), noKey),
  ];
  expect(warnings(results[0])).toEqual([
    expect.stringMatching(
      /not cancelling .*: no launch id was saved by this step; this step did not launch it\.$/,
    ),
    expect.stringMatching(
      /not cancelling .*: no launch id was saved by this step; this step did not launch it\.$/,
    ),
  ]);
  expect(warnings(results[1])).toEqual([
    `::warning::post step: not cancelling ${buildOfAnotherLeg}: its label wb-vertex-launch-build is "${RUN_ID}-1-5e5e5e5e5e", not "${RUN_ID}-1-0000000000"; this step did not launch it.`,
    `::warning::post step: not cancelling ${ofAnotherLeg}: its label wb-vertex-launch-id is "${RUN_ID}-1-5e5e5e5e5e", not "${RUN_ID}-1-0000000000"; this step did not launch it.`,
  ]);
  await expect(stat(notOurs)).resolves.toBeDefined();
  // Each job was read (that is how its labels are known), none cancelled.
  expect(gets().length).toBeGreaterThanOrEqual(4);
  expect(cancelCalls(vertex)).toEqual([]);
  for (const job of [ofAnotherRun, ofAnotherLeg, buildOfAnotherLeg])
    expect(jobState(vertex, job)).toBe('JOB_STATE_RUNNING');
});

test('a signed state naming a job of another run is still refused by its labels', async () => {
  const victim = seedVictim(vertex);
  const result = await post(
    signedState(
      { 'job-name': victim, 'job-phase': 'following', 'launch-id': `${RUN_ID}-1-0000000000` },
      RUN_ID,
    ),
  );
  expect(warnings(result)).toEqual([
    `::warning::post step: not cancelling ${victim}: its label wb-vertex-launch-id is "17-1-0a1b2c3d4e", not "${RUN_ID}-1-0000000000"; this step did not launch it.`,
  ]);
  expect(cancelCalls(vertex)).toEqual([]);
  expect(jobState(vertex, victim)).toBe('JOB_STATE_RUNNING');
});

test('control: the state a real launch left when killed mid-follow cancels its own job, and only it', async () => {
  const victim = seedVictim(vertex, SAME_RUN_LABELS);
  vertex.queueScenarios('run-forever');
  const running = await startAction({ inputs: inputs(), env: ENV });
  dirs.push(running.runnerTemp);
  await running.waitForLog(/is RUNNING\./);
  running.kill('SIGKILL');
  const main = await running.done;
  const own = main.state['job-name'];
  expect(main.state['job-phase']).toBe('following');
  expect(main.state['launch-id']).toMatch(new RegExp(`^${main.runId}-1-[0-9a-f]{10}$`));
  expect(main.state['job-name-mac']).toMatch(/^[0-9a-f]{64}$/);
  const result = await runAction({
    step: 'post',
    inputs: inputs(),
    env: ENV,
    state: main.state,
    runnerTemp: main.runnerTemp,
  });
  expect(result.code).toBe(0);
  expect(warnings(result)).toEqual([
    expect.stringMatching(/^::warning::The run stopped while following .*: cancellation requested/),
  ]);
  expect(cancelCalls(vertex)).toEqual([own]);
  expect(jobState(vertex, victim)).toBe('JOB_STATE_RUNNING');
});
