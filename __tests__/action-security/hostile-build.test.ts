// A hostile Dockerfile, as a pull request's author writes it: a RUN step prints every
// workflow-command form (among them `::save-state` lines naming someone else's running job,
// which once made the post step cancel it), then the build fails. With the local Docker
// builder and with the Kaniko build job, judged by the runner-rules parser: no state, output,
// mask or annotation comes of it, and the victim job stays running after the post step runs
// with the state the runner would really hand it.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeWorkspace as kanikoWorkspace, startKanikoWorld } from '../action-kaniko/setup.ts';
import { makeWorkspace as imageWorkspace, startImageWorld } from '../action-image/setup.ts';
import type { VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { runAction, type ActionResult } from '../helpers/action-runner.ts';
import { dockerEnvUnavailable, type DockerTestEnv } from '../helpers/docker-env.ts';
import { pushShellImage } from '../helpers/shell-image.ts';
import { readAsRunner } from '../helpers/runner-commands.ts';
import { hostileEffects, hostileLines } from './hostile.ts';
import { cancelCalls, jobState, OTHER_RUN_LABELS, runPostAfter, seedVictim } from './setup.ts';

const describeDocker = dockerEnvUnavailable ? describe.skip : describe;
if (dockerEnvUnavailable) {
  test.skip(`hostile Dockerfile against dockerd and a registry skipped: ${dockerEnvUnavailable}`, () => {});
}

const PARENT = 'projects/octo-project/locations/us-central1';

interface World {
  docker: DockerTestEnv;
  vertex: VertexEmulator;
  inputs: Record<string, string>;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Builds the hostile Dockerfile in `world`, runs the post step, and checks the victim. */
async function hostileBuild(
  world: World,
  makeWorkspace: (dockerfile: string, marker: string) => Promise<string>,
  dirs: string[],
): Promise<{ main: ActionResult; post: ActionResult; victim: string }> {
  const victim = seedVictim(world.vertex, OTHER_RUN_LABELS, PARENT);
  const base = `${world.docker.registryHost}/base/shell:1`;
  const ws = await makeWorkspace(
    `FROM ${base}\nCOPY hostile.txt /\nRUN cat /hostile.txt && exit 3\n`,
    'hostile',
  );
  dirs.push(ws);
  await writeFile(path.join(ws, 'hostile.txt'), hostileLines(victim).join('\n') + '\n');
  const main = await runAction({
    inputs: world.inputs,
    env: world.env,
    workspace: ws,
    timeoutMs: 90_000,
  });
  dirs.push(main.runnerTemp);
  const post = await runPostAfter(main, { inputs: world.inputs, env: world.env, workspace: ws });
  return { main, post, victim };
}

function expectNothingCommanded(
  world: World,
  run: { main: ActionResult; post: ActionResult; victim: string },
) {
  const { main, post, victim } = run;
  expect(main.code).toBe(1);
  const view = readAsRunner(main.stdout);
  expect(hostileEffects(view, victim)).toEqual([]);
  // The step's own failure is its one error annotation, with no property the build chose.
  const errors = view.annotations.filter((a) => a.level === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0].message).toMatch(/^wb-vertex-launch: build: /);
  expect(errors[0].properties).toEqual({});
  expect(main.outputs['job-name']).toBeUndefined();
  expect(post.code).toBe(0);
  expect(hostileEffects(readAsRunner(post.stdout), victim)).toEqual([]);
  expect(cancelCalls(world.vertex)).toEqual([]);
  expect(jobState(world.vertex, victim)).toBe('JOB_STATE_RUNNING');
}

const BUILDERS: Array<{
  builder: string;
  start: () => Promise<World>;
  makeWorkspace: (dockerfile: string, marker: string) => Promise<string>;
  /** What shows the build's output reached the log, and what else holds for this builder. */
  check: (main: ActionResult, world: World) => void;
}> = [
  {
    builder: 'the local Docker builder',
    start: startImageWorld,
    makeWorkspace: imageWorkspace,
    check(main, world) {
      // Docker's output is in the log: the CR-smuggled line shows as a line of its own.
      expect(main.stdout).toMatch(/^::set-output name=job-state::PWNED-after-cr$/m);
      expect(world.vertex.record().jobsCreated).toBe(0);
    },
  },
  {
    builder: 'the Kaniko build job',
    start: startKanikoWorld,
    makeWorkspace: (dockerfile, marker) => kanikoWorkspace(dockerfile, marker),
    check(main) {
      // The executor's output came through Cloud Logging; the build job ended, followed to its end.
      expect(main.stdout).toContain('##[\\add-mask]PWNED-legacy-mask');
      expect(main.state['build-job-phase']).toBe('done');
    },
  },
];

describeDocker.each(BUILDERS)(
  'a hostile Dockerfile, $builder',
  ({ start, makeWorkspace, check }) => {
    let world: World;
    const dirs: string[] = [];
    beforeAll(async () => {
      world = await start();
      pushShellImage(world.docker, `${world.docker.registryHost}/base/shell:1`, world.docker.token);
    }, 90_000);
    afterAll(async () => {
      await world?.close();
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    });

    test('its output, and the failure that quotes it, command nothing; the victim keeps running', async () => {
      const run = await hostileBuild(world, makeWorkspace, dirs);
      check(run.main, world);
      expectNothingCommanded(world, run);
    }, 150_000);
  },
);
