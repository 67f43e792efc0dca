// The bundled action building its own image, as GitHub runs it: workload identity federation
// yields the access token, which is the registry password; the image is built by a real
// dockerd, pushed to a real registry, pinned by the digest the registry reports, and that
// exact reference is what Vertex receives. An unchanged re-run builds nothing; a broken
// Dockerfile fails the step before Vertex hears of it; the post step removes the login.
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { filesUnder, findSecrets, maskedValues, printed } from '../action-auth/scan.ts';
import { runAction, type ActionResult } from '../helpers/action-runner.ts';
import { dockerEnvUnavailable } from '../helpers/docker-env.ts';
import { makeWorkspace, startImageWorld, type ImageWorld } from './setup.ts';

const describeDocker = dockerEnvUnavailable ? describe.skip : describe;
if (dockerEnvUnavailable) {
  test.skip(`bundled action build and push against dockerd and a registry skipped: ${dockerEnvUnavailable}`, () => {});
}

const GOOD_DOCKERFILE = 'FROM scratch\nCOPY hello.txt /\n';
// COPY of a file the context does not have: Docker's own error, at build time.
const BROKEN_DOCKERFILE = 'FROM scratch\nCOPY hello.txt /\nCOPY no-such-file.txt /\n';

function createCalls(world: ImageWorld) {
  return world.vertex.record().calls.filter((c) => c.method === 'CreateCustomJob');
}

/** The image the created job's first pool runs (proto3 JSON as the emulator decoded it). */
function jobImage(call: { request: Record<string, unknown> }): unknown {
  const job = call.request.customJob as {
    jobSpec: { workerPoolSpecs: Array<{ containerSpec?: { imageUri?: string } }> };
  };
  return job.jobSpec.workerPoolSpecs[0].containerSpec?.imageUri;
}

describeDocker('bundled action: image build and push', () => {
  let world: ImageWorld;
  let workspace: string;
  let brokenWorkspace: string;
  const results: ActionResult[] = [];
  const postResults: ActionResult[] = [];

  const run = async (
    ws: string,
    opts: { runnerTemp?: string; step?: 'main' | 'post'; state?: Record<string, string> } = {},
  ) => {
    const result = await runAction({
      inputs: world.inputs,
      env: world.env,
      workspace: ws,
      timeoutMs: 90_000,
      ...opts,
    });
    (opts.step === 'post' ? postResults : results).push(result);
    return result;
  };

  // Each run is made once, by whichever test needs it first; the tests that build on a run see
  // the same one, and what it left is read when it ends.
  const once = <T>(make: () => Promise<T>): (() => Promise<T>) => {
    let made: Promise<T> | undefined;
    return () => (made ??= make());
  };
  /** The first run of `workspace`: its image is in no registry yet. */
  const firstRun = once(async () => {
    world.vertex.reset();
    const result = await run(workspace);
    return {
      result,
      creates: createCalls(world),
      iamIssued: world.auth.iam.issued.length,
      stsRequests: world.auth.sts.requests.length,
    };
  });
  /** `workspace` again, unchanged, after the first run. */
  const secondRun = once(async () => {
    const first = await firstRun();
    const before = createCalls(world).length;
    const result = await run(workspace);
    return { first: first.result, result, creates: createCalls(world).slice(before) };
  });
  const brokenRun = once(async () => {
    world.vertex.reset();
    const result = await run(brokenWorkspace);
    return { result, record: world.vertex.record() };
  });
  /** The post step after the first and the broken run, each login checked before and after. */
  const postRuns = once(async () => {
    const mains = [(await firstRun()).result, (await brokenRun()).result];
    const posts = [];
    for (const main of mains) {
      const dir = main.state['docker-config'];
      const config =
        dir === undefined
          ? undefined
          : await readFile(path.join(dir, 'config.json'), 'utf8').catch(() => undefined);
      const post = await run(workspace, {
        step: 'post',
        state: main.state,
        runnerTemp: main.runnerTemp,
      });
      const after = dir === undefined ? undefined : await stat(dir).catch((e: unknown) => e);
      posts.push({ main, dir, config, post, after });
    }
    return posts;
  });

  beforeAll(async () => {
    world = await startImageWorld();
    workspace = await makeWorkspace(GOOD_DOCKERFILE, 'good');
    brokenWorkspace = await makeWorkspace(BROKEN_DOCKERFILE, 'broken');
  }, 60_000);

  afterAll(async () => {
    await world?.close();
    for (const d of [workspace, brokenWorkspace, ...results.map((r) => r.runnerTemp)])
      if (d) await rm(d, { recursive: true, force: true });
  });

  test('first run: builds, pushes, and the job runs the image pinned by the registry digest', async () => {
    const seen = await firstRun();
    const first = seen.result;
    expect(first.errors).toEqual([]);
    expect(first.code).toBe(0);
    // The impersonated token came from the IAM Credentials stand-in, through STS.
    expect(seen.iamIssued).toBeGreaterThan(0);
    expect(seen.stsRequests).toBeGreaterThan(0);

    expect(first.stdout).toMatch(
      /\[command\]docker login --username oauth2accesstoken --password-stdin /,
    );
    expect(first.stdout).toMatch(/\[command\]docker build /);
    expect(first.stdout).toMatch(/\[command\]docker push /);
    const tag = /team\/trainer:(ctx-[0-9a-f]{20}) is not in the registry yet/.exec(
      first.stdout,
    )?.[1];
    expect(tag).toBeDefined();
    const digest = await world.registryDigest(tag!);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const uri = `${world.registry}@${digest}`;
    expect(first.outputs['image-uri']).toMatch(
      /^127\.0\.0\.1:\d+\/team\/trainer@sha256:[0-9a-f]{64}$/,
    );
    expect(first.outputs['image-uri']).toBe(uri);
    expect(first.outputs['image-digest']).toBe(digest);
    // The commit tag points at the same manifest.
    expect(await world.registryDigest('0123456789abcdef0123456789abcdef01234567')).toBe(digest);

    const creates = seen.creates;
    expect(creates).toHaveLength(1);
    expect(jobImage(creates[0])).toBe(uri);
    expect(first.outputs['job-state']).toBe('JOB_STATE_SUCCEEDED');
    expect(first.summary).toContain(digest!);
  }, 120_000);

  test('second run, nothing changed: no build, the log says why, the same image', async () => {
    const { first, result: second, creates } = await secondRun();
    expect(second.errors).toEqual([]);
    expect(second.code).toBe(0);
    expect(second.stdout).not.toMatch(/\[command\]docker /);
    expect(second.stdout).toMatch(
      /team\/trainer:ctx-[0-9a-f]{20} already exists: the build context, Dockerfile, build args and platform are unchanged since it was pushed, so nothing is built/,
    );
    expect(second.outputs['image-uri']).toBe(first.outputs['image-uri']);
    expect(second.outputs['image-digest']).toBe(first.outputs['image-digest']);
    // One more job, running the first run's image.
    expect(creates).toHaveLength(1);
    expect(jobImage(creates[0])).toBe(first.outputs['image-uri']);
  }, 180_000);

  test("a broken Dockerfile: the step fails in phase build with Docker's error, and no job is created", async () => {
    const { result: broken, record } = await brokenRun();
    expect(broken.code).toBe(1);
    expect(broken.errors).toHaveLength(1);
    const error = broken.errors[0];
    expect(error).toMatch(/^::error::wb-vertex-launch: build: docker build failed/);
    // Docker's own words, carried into the failure message.
    expect(error).toMatch(/COPY failed.*no-such-file\.txt/);
    expect(record.jobsCreated).toBe(0);
    expect(record.calls).toEqual([]);
    expect(broken.outputs['job-name']).toBeUndefined();
  }, 90_000);

  test('the post step removes the DOCKER_CONFIG holding the registry login', async () => {
    for (const { main, dir, config, post, after } of await postRuns()) {
      expect(dir).toBeDefined();
      expect(path.dirname(dir!)).toBe(main.runnerTemp);
      // The login is there until post runs...
      expect(config).toContain(world.docker.registryHost);
      expect(post.code).toBe(0);
      expect(post.stdout).not.toMatch(/::warning::/);
      // ...and gone after.
      expect(after).toMatchObject({ code: 'ENOENT' });
    }
  }, 300_000);

  test('the access token is in no log line, output, state, summary, workspace or runner temp file', async () => {
    const { first, result: second } = await secondRun();
    const broken = (await brokenRun()).result;
    await postRuns();
    expect(results.length).toBeGreaterThanOrEqual(3);
    const secrets = [world.docker.token, ...world.auth.allSecrets()];
    for (const r of [...results, ...postResults]) {
      const written = [
        ...printed(r),
        { source: 'outputs', text: JSON.stringify(r.outputWrites) },
        { source: 'state', text: JSON.stringify(r.state) },
        { source: 'summary', text: r.summary },
        // After the post step, nothing under RUNNER_TEMP may still hold a credential.
        ...filesUnder(r.runnerTemp),
      ];
      expect(findSecrets(written, secrets)).toEqual([]);
    }
    expect(
      findSecrets([...filesUnder(workspace), ...filesUnder(brokenWorkspace)], secrets),
    ).toEqual([]);
    // The runner was told to mask the token in every run that obtained it.
    for (const r of [first, second, broken])
      expect(maskedValues(r).has(world.docker.token)).toBe(true);
  }, 360_000);
});
