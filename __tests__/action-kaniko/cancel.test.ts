// Cancelling a run while its Kaniko build job runs. SIGINT (what the runner sends first): main
// cancels the build job itself, and the post step leaves it alone. SIGKILL (main gets no say):
// the post step's backstop finds the build job in the state main saved, and cancels it. Either
// way the local build stops and no training job is created.
import { rm } from 'node:fs/promises';
import { runAction, startAction, type ActionResult } from '../helpers/action-runner.ts';
import { dockerEnvUnavailable } from '../helpers/docker-env.ts';
import { pushShellImage } from '../helpers/shell-image.ts';
import { makeWorkspace, startKanikoWorld, type KanikoWorld } from './setup.ts';

const describeDocker = dockerEnvUnavailable ? describe.skip : describe;
if (dockerEnvUnavailable) {
  test.skip(`cancelling a Kaniko build job against dockerd and a registry skipped: ${dockerEnvUnavailable}`, () => {});
}

describeDocker('bundled action: builder kaniko, cancelled', () => {
  let world: KanikoWorld;
  const dirs: string[] = [];

  beforeAll(async () => {
    world = await startKanikoWorld();
    pushShellImage(world.docker, `${world.docker.registryHost}/base/shell:1`, world.docker.token);
  }, 60_000);

  afterAll(async () => {
    await world?.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  beforeEach(() => world.vertex.reset());

  /** Starts a launch whose build sleeps, and resolves once the local build is in its RUN step. */
  async function startSlowBuild(marker: string) {
    const ws = await makeWorkspace(
      `FROM ${world.docker.registryHost}/base/shell:1\nCOPY hello.txt /\nRUN sleep 60\n`,
      marker,
    );
    dirs.push(ws);
    const running = await startAction({
      inputs: world.inputs,
      env: world.env,
      workspace: ws,
      timeoutMs: 90_000,
    });
    dirs.push(running.runnerTemp);
    await running.waitForLog(/Build job: https:\/\//, 30_000);
    const deadline = Date.now() + 30_000;
    const builds = world.vertex.kaniko!.builds;
    while (!builds.at(-1)?.tail.some((l) => /RUN sleep 60/.test(l))) {
      if (Date.now() > deadline)
        throw new Error(`the build never reached its RUN step: ${JSON.stringify(builds.at(-1))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return running;
  }

  const cancels = () => world.vertex.record().calls.filter((c) => c.method === 'CancelCustomJob');
  const buildJobName = () => (world.vertex.record().jobs[0] as { name: string }).name;

  test('SIGINT: main cancels the build job, the build stops, nothing is submitted', async () => {
    const running = await startSlowBuild('sigint');
    const stoppedAt = Date.now();
    running.kill('SIGINT');
    const result: ActionResult = await running.done;
    expect(result.code).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      /^::error::wb-vertex-launch: build: the workflow was cancelled while the image was built: cancellation of the build job projects\/octo-project\/locations\/us-central1\/customJobs\/\d+ was requested/,
    );
    expect(cancels().map((c) => c.request.name)).toEqual([buildJobName()]);
    expect(world.creates()).toHaveLength(1);
    expect(result.state['build-job-phase']).toBe('cancel-requested');
    // The local build was stopped, not left to sleep out its minute.
    await world.vertex.kaniko!.idle();
    expect(Date.now() - stoppedAt).toBeLessThan(30_000);
    expect(world.vertex.kaniko!.builds.at(-1)!.outcome).toBe('cancelled');

    // The post step has nothing left to cancel.
    const post = await runAction({
      step: 'post',
      inputs: world.inputs,
      env: world.env,
      state: result.state,
      runnerTemp: result.runnerTemp,
    });
    expect(post.code).toBe(0);
    expect(cancels()).toHaveLength(1);
  }, 120_000);

  test('SIGKILL: the post step cancels the build job main was following', async () => {
    const running = await startSlowBuild('sigkill');
    const state = await running.stateNow();
    expect(state['build-job-phase']).toBe('following');
    expect(state['build-job-name']).toBe(buildJobName());
    running.kill('SIGKILL');
    const result = await running.done;
    expect(result.signal).toBe('SIGKILL');
    expect(cancels()).toEqual([]);

    const post = await runAction({
      step: 'post',
      inputs: world.inputs,
      env: world.env,
      state: result.state,
      runnerTemp: result.runnerTemp,
    });
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(
      new RegExp(
        `::warning::The run stopped while following ${buildJobName()}: cancellation requested`,
      ),
    );
    expect(cancels().map((c) => c.request.name)).toEqual([buildJobName()]);
    await world.vertex.kaniko!.idle();
    expect(world.vertex.kaniko!.builds.at(-1)!.outcome).toBe('cancelled');
    expect(world.creates()).toHaveLength(1);
  }, 120_000);
});
