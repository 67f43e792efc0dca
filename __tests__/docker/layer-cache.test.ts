// The layer cache from the registry, on a real dockerd and registry: a first build pushes the
// image and its cache tag; then a fresh, empty engine (a new runner) rebuilds after a change
// to an application file only. Its dependency RUN step must come from the cache, and the
// registry's own log must show that only the changed layer (and the image config) went up.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../../src/core/log.ts';
import { buildAndPushImage, type ImageRequest } from '../../src/docker/index.ts';
import {
  dockerEnvUnavailable,
  startDockerEnv,
  type DockerDaemon,
  type DockerTestEnv,
} from '../helpers/docker-env.ts';
import { uploadedSince, uploadsInLog } from '../helpers/registry-uploads.ts';
import { pushShellImage } from '../helpers/shell-image.ts';

const describeDocker = dockerEnvUnavailable ? describe.skip : describe;
if (dockerEnvUnavailable) {
  test.skip(`layer cache against dockerd and docker-registry skipped: ${dockerEnvUnavailable}`, () => {});
}

const DEPS_BYTES = 4_000_000;

function capture(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    log: {
      info: (m) => lines.push(m),
      debug: (m) => lines.push(`debug: ${m}`),
      warning: (m) => lines.push(`warning: ${m}`),
    },
  };
}

/** Warnings, less the expected one about a registry that is not Artifact Registry. */
const warnings = (lines: string[]) =>
  lines.filter((l) => l.startsWith('warning:') && !/not Artifact Registry/.test(l));

/** Classic builder output: is the step whose instruction matches `step` reported as cached? */
function stepCached(lines: string[], step: RegExp): boolean {
  const i = lines.findIndex((l) => /^Step \d+\/\d+ : /.test(l) && step.test(l));
  if (i < 0) throw new Error(`no step ${step} in the build output:\n${lines.join('\n')}`);
  const next = lines.slice(i + 1).find((l) => l.trim().startsWith('--->'));
  return next?.trim() === '---> Using cache';
}

interface Manifest {
  config: { digest: string };
  layers: { digest: string; size: number }[];
}

describeDocker('layer cache from the registry (classic builder)', () => {
  let env: DockerTestEnv;
  let workspace: string;
  let temp: string;
  let savedDockerHost: string | undefined;
  const image = () => `${env.registryHost}/team/trainer`;

  const request = (
    c: ReturnType<typeof capture>,
    configDir: string,
    build: Partial<ImageRequest['build']> = {},
  ): ImageRequest => ({
    registry: image(),
    build: {
      context: 'app',
      dockerfile: '',
      buildArgs: {},
      platform: '',
      cacheFrom: [],
      cacheTo: [],
      ...build,
    },
    workspace,
    getAccessToken: async () => env.token,
    jobRegion: 'us-central1',
    dockerConfigDir: path.join(temp, configDir),
    log: c.log,
    group: async (_title, fn) => fn(),
  });

  async function manifest(tag: string): Promise<Manifest> {
    const res = await fetch(`http://${env.registryHost}/v2/team/trainer/manifests/${tag}`, {
      headers: {
        Authorization: 'Basic ' + Buffer.from(`oauth2accesstoken:${env.token}`).toString('base64'),
        Accept: 'application/vnd.docker.distribution.manifest.v2+json',
      },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Manifest;
  }

  const useDaemon = (d: Pick<DockerDaemon, 'dockerHost'>) => {
    process.env.DOCKER_HOST = d.dockerHost;
  };

  beforeAll(async () => {
    env = await startDockerEnv();
    savedDockerHost = process.env.DOCKER_HOST;
    const base = `${env.registryHost}/base/shell:1`;
    pushShellImage(env, base, env.token);
    workspace = await mkdtemp(path.join(os.tmpdir(), 'wbvl-ws-'));
    temp = await mkdtemp(path.join(os.tmpdir(), 'wbvl-runner-temp-'));
    const app = path.join(workspace, 'app');
    await mkdir(path.join(app, 'deps'), { recursive: true });
    await mkdir(path.join(app, 'src'));
    await writeFile(
      path.join(app, 'Dockerfile'),
      [
        `FROM ${base}`,
        'COPY deps/ /deps/',
        `RUN head -c ${DEPS_BYTES} /dev/urandom > /opt-deps.bin`,
        'COPY src/ /app/',
        '',
      ].join('\n'),
    );
    await writeFile(path.join(app, 'deps', 'requirements.txt'), 'torch==2.5.0\n');
    await writeFile(path.join(app, '.dockerignore'), 'deps/*.tmp\n');
    await writeFile(path.join(app, 'src', 'train.py'), 'print("v1")\n');
  }, 60_000);

  afterAll(async () => {
    if (savedDockerHost === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = savedDockerHost;
    await env?.stop();
    for (const d of [workspace, temp]) if (d) await rm(d, { recursive: true, force: true });
  });

  /** Writes `text` to the workspace's `file` for `fn`, then puts the file back as it was. */
  async function withFile<T>(file: string, text: string, fn: () => Promise<T>): Promise<T> {
    const at = path.join(workspace, file);
    const before = await readFile(at, 'utf8').catch(() => undefined);
    await writeFile(at, text);
    try {
      return await fn();
    } finally {
      if (before === undefined) await rm(at, { force: true });
      else await writeFile(at, before);
    }
  }

  /** Points `to` at the manifest `from` points at, through the registry's API. */
  async function retag(from: string, to: string): Promise<void> {
    const url = (tag: string) => `http://${env.registryHost}/v2/team/trainer/manifests/${tag}`;
    const auth = 'Basic ' + Buffer.from(`oauth2accesstoken:${env.token}`).toString('base64');
    const type = 'application/vnd.docker.distribution.manifest.v2+json';
    const got = await fetch(url(from), { headers: { Authorization: auth, Accept: type } });
    expect(got.status).toBe(200);
    const put = await fetch(url(to), {
      method: 'PUT',
      headers: { Authorization: auth, 'Content-Type': type },
      body: await got.text(),
    });
    expect(put.status).toBe(201);
  }

  /** The registry's first build of the workspace as beforeAll left it, on the first engine. */
  interface FirstBuild {
    result: Awaited<ReturnType<typeof buildAndPushImage>>;
    lines: string[];
    /** The cache tag's manifest right after it. */
    cacheManifest: Manifest;
  }
  let firstBuild: Promise<FirstBuild> | undefined;
  /** Made once, before any other build, by whichever test needs it first. */
  const built = (): Promise<FirstBuild> =>
    (firstBuild ??= (async () => {
      useDaemon(env);
      const c = capture();
      const result = await buildAndPushImage(request(c, 'config-1'));
      return { result, lines: c.lines, cacheManifest: await manifest('buildcache') };
    })());

  test('the first build notes that there is no cache yet, and pushes the cache tag', async () => {
    const { result: first, lines, cacheManifest } = await built();
    expect(first.skipped).toBe(false);
    expect(lines.join('\n')).toMatch(
      /Build cache: .*team\/trainer:buildcache does not exist yet .*every layer is built/,
    );
    expect(warnings(lines)).toEqual([]);
    expect(stepCached(lines, /RUN head/)).toBe(false);
    // the cache tag is the image just built
    expect(cacheManifest).toEqual(await manifest(first.tag));
  }, 120_000);

  test('a fresh engine, an application change: the dependency RUN step is cached, only the changed layer is uploaded', async () => {
    const first = (await built()).result;
    // The cache tag holds the first build, as that build left it.
    await retag(first.tag, 'buildcache');
    const fresh = await env.freshDaemon();
    expect(fresh.docker(['images', '--quiet'])).toBe(''); // nothing local: a new runner
    useDaemon(fresh);
    const logBefore = (await env.registryLog()).length;
    const c = capture();
    const second = await withFile('app/src/train.py', 'print("v2")\n', () =>
      // an ignored file in the dependency directory must not invalidate its layers
      withFile('app/deps/scratch.tmp', 'local only\n', () =>
        buildAndPushImage(request(c, 'config-2')),
      ),
    );
    expect(second.skipped).toBe(false);
    expect(second.tag).not.toBe(first.tag);
    expect(c.lines.join('\n')).toContain(`Build cache: pulled ${image()}:buildcache`);
    expect(c.lines).toContain(`[command]docker pull --platform linux/amd64 ${image()}:buildcache`);
    expect(warnings(c.lines)).toEqual([]);

    // BuildKit-less Docker reports a reused step as "---> Using cache".
    expect(stepCached(c.lines, /COPY deps\//)).toBe(true);
    expect(stepCached(c.lines, /RUN head/)).toBe(true);
    expect(stepCached(c.lines, /COPY src\//)).toBe(false);

    const before = await manifest(first.tag);
    const after = await manifest(second.tag);
    expect(after.layers.slice(0, -1)).toEqual(before.layers.slice(0, -1));
    expect(after.layers.at(-1)!.digest).not.toBe(before.layers.at(-1)!.digest);

    // The registry's log: what this build uploaded, and nothing else.
    const log = await env.registryLog();
    const { uploads, bytes } = await uploadedSince(log, logBefore, env.registryHost, env.token);
    expect(uploads.map((u) => u.digest).sort()).toEqual(
      [after.layers.at(-1)!.digest, after.config.digest].sort(),
    );
    const depsLayer = after.layers.at(-2)!;
    expect(depsLayer.size).toBeGreaterThan(DEPS_BYTES * 0.9);
    expect(bytes).toBeLessThan(depsLayer.size / 100);
    // the first build did upload the dependency layer: the log is read correctly
    expect(uploadsInLog(log.slice(0, logBefore)).map((u) => u.digest)).toContain(depsLayer.digest);
  }, 240_000);

  test('an unreadable cache source is a note, never a failure; the cache-from input wins', async () => {
    // The automatic cache tag exists: the first build pushed it.
    await built();
    const fresh = await env.freshDaemon();
    useDaemon(fresh);
    const c = capture();
    const r = await withFile('app/src/train.py', 'print("v3")\n', () =>
      buildAndPushImage(
        request(c, 'config-3', { cacheFrom: ['type=registry,ref=127.0.0.1:1/nowhere/cache:1'] }),
      ),
    );
    expect(r.skipped).toBe(false);
    const text = c.lines.join('\n');
    expect(text).toMatch(
      /Build cache: could not pull 127\.0\.0\.1:1\/nowhere\/cache:1 \(.+\); building without it/,
    );
    // the input replaced the automatic source: the cache tag was not pulled
    expect(text).not.toContain(`docker pull --platform linux/amd64 ${image()}:buildcache`);
    expect(warnings(c.lines)).toEqual([]);
    expect(stepCached(c.lines, /RUN head/)).toBe(false);
  }, 240_000);
});
