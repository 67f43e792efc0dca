// The bundled action with builder: kaniko, with no Docker daemon in reach: the context is
// packed and uploaded once through the real @google-cloud/storage client, the build runs as a
// Vertex AI CustomJob with the executor's arguments (served by the emulator on a real dockerd),
// the image lands in a real registry, and the training job runs the pushed digest. An
// unchanged re-run uploads nothing and creates no build job; a broken Dockerfile fails the
// step with the executor's last lines and submits nothing.
import { mkdir, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runAction, type ActionResult } from '../helpers/action-runner.ts';
import { dockerEnvUnavailable } from '../helpers/docker-env.ts';
import {
  BUCKET,
  BUILD_SECRET,
  containerOf,
  makeWorkspace,
  PREFIX,
  RUN_AS,
  SHA,
  startKanikoWorld,
  type KanikoWorld,
} from './setup.ts';

const describeDocker = dockerEnvUnavailable ? describe.skip : describe;
if (dockerEnvUnavailable) {
  test.skip(`bundled action with builder: kaniko against dockerd and a registry skipped: ${dockerEnvUnavailable}`, () => {});
}

const GOOD_DOCKERFILE = 'FROM scratch\nCOPY hello.txt /\n';
const BROKEN_DOCKERFILE = 'FROM scratch\nCOPY hello.txt /\nCOPY no-such-file.txt /\n';

describeDocker('bundled action: builder kaniko', () => {
  let world: KanikoWorld;
  let workspace: string;
  let brokenWorkspace: string;
  const brokenWorkspaces: string[] = [];
  const runs: ActionResult[] = [];

  const run = async (ws: string) => {
    const result = await runAction({
      inputs: world.inputs,
      env: world.env,
      workspace: ws,
      timeoutMs: 90_000,
    });
    runs.push(result);
    return result;
  };
  // Uploads by the action's storage client (the emulator's build writes the digest file too).
  const uploads = () =>
    world.storage.requests.filter(
      (r) =>
        r.path.startsWith('/upload/') &&
        r.method === 'POST' &&
        String(r.headers['user-agent']).startsWith('gcloud-node-storage/'),
    );

  /** What the first run of `workspace` left: read at its end, before any other run. */
  interface FirstRun {
    result: ActionResult;
    dockerCalls: string[];
    uploads: ReturnType<typeof uploads>;
    /** The objects the run added to the bucket. */
    contexts: string[];
    digestFiles: string[];
    creates: ReturnType<KanikoWorld['creates']>;
    builds: NonNullable<KanikoWorld['vertex']['kaniko']>['builds'];
    jobs: Record<string, unknown>[];
    loggingFilters: string[];
  }
  let firstRun: Promise<FirstRun> | undefined;
  /**
   * The first run of `workspace` in a world where its image was never built: made once, by
   * whichever test needs it first; the tests that build on it see the same run.
   */
  const firstRunOfWorkspace = (): Promise<FirstRun> =>
    (firstRun ??= (async () => {
      const bucket = world.storage.store.buckets.get(BUCKET)!;
      const before = new Set(bucket.objects.keys());
      const buildsBefore = world.vertex.kaniko!.builds.length;
      world.storage.resetRequests();
      world.vertex.reset();
      world.logging.reset();
      const result = await run(workspace);
      const added = [...bucket.objects.keys()].filter((k) => !before.has(k));
      return {
        result,
        dockerCalls: await world.dockerCalls(),
        uploads: uploads(),
        contexts: added.filter((k) => k.endsWith('.tar.gz')),
        digestFiles: added.filter((k) => k.endsWith('.digest')),
        creates: world.creates(),
        builds: world.vertex.kaniko!.builds.slice(buildsBefore),
        jobs: world.vertex.record().jobs,
        loggingFilters: world.logging.calls().map((c) => String(c.request.filter)),
      };
    })());

  beforeAll(async () => {
    world = await startKanikoWorld();
    workspace = await makeWorkspace(GOOD_DOCKERFILE, 'good', {
      '.dockerignore': 'secrets.txt\n',
      'secrets.txt': 'not for the image\n',
    });
    brokenWorkspace = await makeWorkspace(BROKEN_DOCKERFILE, 'broken');
  }, 60_000);

  afterAll(async () => {
    await world?.close();
    for (const d of [
      workspace,
      brokenWorkspace,
      ...brokenWorkspaces,
      ...runs.map((r) => r.runnerTemp),
    ])
      if (d) await rm(d, { recursive: true, force: true });
  });

  test('first run: one upload, a build job with the executor arguments, the pushed digest runs', async () => {
    const seen = await firstRunOfWorkspace();
    const first = seen.result;
    if (process.env.WBVL_SHOW) console.log(first.stdout);
    expect(first.errors).toEqual([]);
    expect(first.code).toBe(0);
    expect(seen.dockerCalls).toEqual([]);

    // The context went up once, under its digest, in a single multipart request.
    const tag = /team\/trainer:(ctx-[0-9a-f]{20}) is not in the registry yet/.exec(
      first.stdout,
    )?.[1];
    expect(tag).toBeDefined();
    const up = seen.uploads;
    expect(up).toHaveLength(1);
    expect(up[0].query.get('uploadType')).toBe('multipart');
    const bucket = world.storage.store.buckets.get(BUCKET)!;
    const contexts = seen.contexts;
    expect(contexts).toHaveLength(1);
    expect(contexts[0]).toMatch(new RegExp(`^${PREFIX}/ctx-[0-9a-f]{64}\\.tar\\.gz$`));
    expect(contexts[0]).toContain(`ctx-${tag!.slice(4)}`);

    // Two jobs: the build, then the training job.
    const creates = seen.creates;
    expect(creates).toHaveLength(2);
    const build = creates[0].request.customJob as {
      jobSpec: { serviceAccount?: string };
      labels: Record<string, string>;
    };
    const executor = containerOf(creates[0]);
    expect(executor.imageUri).toBe('martizih/kaniko:v1.28.3');
    const digestFiles = seen.digestFiles;
    expect(digestFiles).toHaveLength(1);
    expect(executor.args).toEqual([
      `--context=gs://${BUCKET}/${contexts[0]}`,
      '--dockerfile=Dockerfile',
      `--destination=${world.registry}:${tag}`,
      `--destination=${world.registry}:${SHA}`,
      '--cache=true',
      `--cache-repo=${world.registry}/cache`,
      `--digest-file=/gcs/${BUCKET}/${digestFiles[0]}`,
      '--custom-platform=linux/amd64',
      '--build-arg=HF_TOKEN',
      '--build-arg=PYTHON=3.12',
      `--insecure-registry=${world.docker.registryHost}`,
    ]);
    // The secret build arg reaches the executor through its environment only, and is masked.
    expect((executor as { env?: unknown }).env).toEqual([
      { name: 'HF_TOKEN', value: BUILD_SECRET },
    ]);
    expect(first.stdout).toContain(`::add-mask::${BUILD_SECRET}`);
    expect(first.stdout.replace(`::add-mask::${BUILD_SECRET}`, '')).not.toContain(BUILD_SECRET);
    expect(seen.builds[0].args.buildArgs).toEqual({
      PYTHON: '3.12',
      HF_TOKEN: BUILD_SECRET,
    });
    expect(build.jobSpec.serviceAccount).toBe(RUN_AS);
    expect(build.labels['wb-vertex-launch-role']).toBe('image-build');
    expect(build.labels['managed-by']).toBeUndefined();
    expect((creates[0].request.parent as string).endsWith('/locations/us-central1')).toBe(true);

    // The image is in the registry under both tags; the digest file says the same.
    const digest = await world.registryDigest(tag!);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await world.registryDigest(SHA)).toBe(digest);
    expect(bucket.objects.get(digestFiles[0])!.data.toString()).toBe(digest);
    expect(seen.builds).toHaveLength(1);
    expect(seen.builds[0].outcome).toBe('succeeded');
    // The executor's output streamed into the step log, as the build job's log entries.
    expect(first.stdout).toMatch(/^\[workerpool0-0\] Step 2\/2 : COPY hello\.txt \/$/m);
    expect(first.stdout).toMatch(/^\[workerpool0-0\] Pushed .*:ctx-[0-9a-f]{20}, /m);
    const buildJobId = (seen.jobs[0] as { id: string }).id;
    expect(seen.loggingFilters.some((f) => f.includes(buildJobId))).toBe(true);

    // The training job runs exactly that digest.
    const uri = `${world.registry}@${digest}`;
    expect(containerOf(creates[1]).imageUri).toBe(uri);
    expect(first.outputs['image-uri']).toBe(uri);
    expect(first.outputs['image-digest']).toBe(digest);
    expect(first.outputs['job-state']).toBe('JOB_STATE_SUCCEEDED');
    expect(first.outputs['job-name']).toBe((seen.jobs[1] as { name: string }).name);
  }, 120_000);

  test('the uploaded archive holds exactly what .dockerignore lets through', async () => {
    const bucket = world.storage.store.buckets.get(BUCKET)!;
    const [name] = (await firstRunOfWorkspace()).contexts;
    const { execFileSync } = await import('node:child_process');
    const listing = execFileSync('tar', ['-tzf', '-'], { input: bucket.objects.get(name)!.data })
      .toString()
      .split('\n')
      .filter(Boolean)
      .sort();
    expect(listing).toEqual(['.dockerignore', 'Dockerfile', 'hello.txt', 'queue-config.yaml']);
  }, 120_000);

  test('second run, nothing changed: no upload, no build job, the same image', async () => {
    const first = (await firstRunOfWorkspace()).result;
    world.storage.resetRequests();
    world.vertex.reset();
    world.logging.reset();
    const second = await run(workspace);
    expect(second.errors).toEqual([]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(
      /already exists: .* so nothing is built: no upload, no build job/,
    );
    expect(uploads()).toEqual([]);
    expect(world.storage.requests).toEqual([]);
    const creates = world.creates();
    expect(creates).toHaveLength(1);
    expect(containerOf(creates[0]).imageUri).toBe(first.outputs['image-uri']);
    expect(second.outputs['image-digest']).toBe(first.outputs['image-digest']);
    expect(await world.dockerCalls()).toEqual([]);
  }, 180_000);

  test('a context over 500 MiB: an error naming what .dockerignore could drop; nothing uploaded', async () => {
    const ws = await makeWorkspace(GOOD_DOCKERFILE, 'big');
    brokenWorkspaces.push(ws);
    await mkdir(path.join(ws, 'data'));
    await writeFile(path.join(ws, 'data', 'notes.txt'), 'about the weights\n');
    // Sparse: 520 MiB to the walk, no disk used.
    await writeFile(path.join(ws, 'data', 'weights.bin'), '');
    await truncate(path.join(ws, 'data', 'weights.bin'), 520 * 1024 * 1024);
    world.storage.resetRequests();
    world.vertex.reset();
    const big = await run(ws);
    expect(big.code).toBe(1);
    expect(big.errors).toHaveLength(1);
    expect(big.errors[0]).toMatch(
      /^::error::wb-vertex-launch: build: the build context is 520\.0 MiB, over the 500\.0 MiB limit of builder: kaniko/,
    );
    expect(big.errors[0]).toMatch(/Its largest parts: data\/weights\.bin \(520\.0 MiB\), /);
    expect(big.errors[0]).toMatch(/lines in \.dockerignore \(e\.g\. `data\/weights\.bin`\)/);
    expect(uploads()).toEqual([]);
    expect(world.creates()).toEqual([]);
  }, 90_000);

  test("a failed build fails the step with the executor's last lines; nothing is submitted", async () => {
    world.vertex.reset();
    world.logging.reset();
    const broken = await run(brokenWorkspace);
    if (process.env.WBVL_SHOW) console.log(broken.stdout);
    expect(broken.code).toBe(1);
    expect(broken.errors).toHaveLength(1);
    const error = broken.errors[0];
    expect(error).toMatch(
      /^::error::wb-vertex-launch: build: the Kaniko build job projects\/.* ended FAILED/,
    );
    expect(error).toMatch(
      /ended FAILED: The replica workerpool0-0 exited with a non-zero status of 1\. Termination reason: Error; nothing was submitted\./,
    );
    // The last lines come from the build job's log entries (Vertex's error has none).
    expect(error).toMatch(/The executor's last lines:%0A {2}Unpacking the build context gs:/);
    expect(error).toMatch(
      /%0A {2}error building image: [^%]*stat no-such-file\.txt: file does not exist%0ABuild job: https:/,
    );
    expect(broken.stdout).toMatch(/^\[workerpool0-0\] error building image: /m);
    // Only the build job was created.
    const creates = world.creates();
    expect(creates).toHaveLength(1);
    expect(containerOf(creates[0]).args?.[0]).toMatch(/^--context=gs:\/\//);
    expect(broken.outputs['job-name']).toBeUndefined();
    expect(broken.state['build-job-phase']).toBe('done');
  }, 90_000);
});
