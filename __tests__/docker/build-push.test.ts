// The image phase end to end against a real dockerd and a real registry (htpasswd auth):
// build and push, skip when unchanged, retag on content change, wrong credentials, failed
// builds, and where the access token may and may not appear.
import { readdir, readFile, rm, mkdtemp, mkdir, writeFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../src/core/errors.ts';
import type { Logger } from '../../src/core/log.ts';
import {
  plannedImageReference,
  buildAndPushImage,
  removeDockerConfig,
  type ImageRequest,
} from '../../src/docker/index.ts';
import { dockerLogin } from '../../src/docker/build.ts';
import { dockerEnvUnavailable, startDockerEnv, type DockerTestEnv } from '../helpers/docker-env.ts';
import { watchProcesses, type SeenProcess } from './proc-watch.ts';

const unavailable = dockerEnvUnavailable;
const describeDocker = unavailable ? describe.skip : describe;
if (unavailable) {
  test.skip(`docker build and push against a local registry skipped: ${unavailable}`, () => {});
}

interface Captured {
  log: Logger;
  lines: string[];
  warnings: string[];
}

function capture(): Captured {
  const lines: string[] = [];
  const warnings: string[] = [];
  return {
    lines,
    warnings,
    log: {
      info: (m) => lines.push(m),
      debug: (m) => lines.push(`debug: ${m}`),
      warning: (m) => {
        warnings.push(m);
        lines.push(`warning: ${m}`);
      },
    },
  };
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(path.join(e.parentPath, e.name));
  }
  return out;
}

describeDocker('buildAndPushImage against dockerd and docker-registry', () => {
  let env: DockerTestEnv;
  let workspace: string;
  let temp: string;
  let savedDockerHost: string | undefined;
  const registryInput = () => `${env.registryHost}/team/trainer`;

  const request = (c: Captured, overrides: Partial<ImageRequest> = {}): ImageRequest => ({
    registry: registryInput(),
    build: {
      context: 'app',
      dockerfile: '',
      buildArgs: { STAGE: 'test' },
      platform: '',
      cacheFrom: [],
      cacheTo: [],
    },
    workspace,
    getAccessToken: async () => env.token,
    commitSha: 'a'.repeat(40),
    jobRegion: 'us-central1',
    dockerConfigDir: path.join(temp, 'docker-config'),
    log: c.log,
    group: async (title, fn) => {
      c.lines.push(`::group::${title}`);
      try {
        return await fn();
      } finally {
        c.lines.push('::endgroup::');
      }
    },
    ...overrides,
  });

  /** What the registry itself says the tag points at, asked without the code under test. */
  async function registryDigest(tag: string): Promise<string | null> {
    const res = await fetch(`http://${env.registryHost}/v2/team/trainer/manifests/${tag}`, {
      method: 'HEAD',
      headers: {
        Authorization: 'Basic ' + Buffer.from(`oauth2accesstoken:${env.token}`).toString('base64'),
        Accept:
          'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
      },
    });
    return res.status === 200 ? res.headers.get('docker-content-digest') : null;
  }

  const dockerCommands = (c: Captured, verb: string) =>
    c.lines.filter((l) => l.startsWith(`[command]docker ${verb} `));

  beforeAll(async () => {
    env = await startDockerEnv();
    savedDockerHost = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = env.dockerHost;
    workspace = await mkdtemp(path.join(os.tmpdir(), 'wbvl-ws-'));
    temp = await mkdtemp(path.join(os.tmpdir(), 'wbvl-runner-temp-'));
    await mkdir(path.join(workspace, 'app'));
    await writeFile(
      path.join(workspace, 'app', 'Dockerfile'),
      'FROM scratch\nARG STAGE\nCOPY hello.txt notes/ /\n',
    );
    await writeFile(path.join(workspace, 'app', 'hello.txt'), 'hello\n');
    await mkdir(path.join(workspace, 'app', 'notes'));
    await writeFile(path.join(workspace, 'app', 'notes', 'n.txt'), 'note\n');
    await writeFile(path.join(workspace, 'app', 'scratch.tmp'), 'ignored\n');
    await writeFile(path.join(workspace, 'app', '.dockerignore'), '*.tmp\n');
  }, 60_000);

  afterAll(async () => {
    if (savedDockerHost === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = savedDockerHost;
    await env?.stop();
    for (const d of [workspace, temp]) if (d) await rm(d, { recursive: true, force: true });
  });

  /** The first build of the workspace as beforeAll left it, with its own DOCKER_CONFIG. */
  interface FirstBuild {
    result: Awaited<ReturnType<typeof buildAndPushImage>>;
    c: Captured;
    /** The processes a watcher saw while it ran. */
    seen: SeenProcess[];
    dockerConfigDir: string;
  }
  let firstBuild: Promise<FirstBuild> | undefined;
  /** Made once, by whichever test needs it first. */
  const built = (): Promise<FirstBuild> =>
    (firstBuild ??= (async () => {
      const c = capture();
      const dockerConfigDir = path.join(temp, 'first-docker-config');
      const watcher = await watchProcesses('docker ');
      let seen: SeenProcess[] = [];
      const result = await buildAndPushImage(request(c, { dockerConfigDir })).finally(() =>
        watcher.stop().then((processes) => void (seen = processes)),
      );
      return { result, c, seen, dockerConfigDir };
    })());

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

  test('builds, pushes both tags, and returns the digest the registry reports', async () => {
    const { result: first, c } = await built();
    expect(first.skipped).toBe(false);
    expect(first.tag).toMatch(/^ctx-[0-9a-f]{20}$/);
    expect(first.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await registryDigest(first.tag)).toBe(first.digest);
    expect(await registryDigest('a'.repeat(40))).toBe(first.digest);
    expect(first.imageUri).toBe(`${env.registryHost}/team/trainer@${first.digest}`);
    expect(dockerCommands(c, 'build')).toHaveLength(1);
    expect(dockerCommands(c, 'build')[0]).toContain('--platform linux/amd64');
    // a non-Artifact-Registry host is accepted with a warning
    expect(c.warnings.join('\n')).toMatch(/not Artifact Registry/);
    expect(c.lines).toContain(`::group::Image: docker build and push ${registryInput()}`);
    // A dry run computes the very reference the build pushed, without docker or the registry.
    expect(await plannedImageReference(request(c))).toBe(
      `${env.registryHost}/team/trainer:${first.tag}`,
    );
  }, 60_000);

  test('the access token is never in a command line, a process environment, the log or the workspace', async () => {
    const { seen, dockerConfigDir: configDir } = await built();
    expect(seen.length).toBeGreaterThan(0); // the watcher did see docker login/build/push
    expect(seen.some((p) => p.cmdline.includes('login'))).toBe(true);
    for (const p of seen) {
      expect(p.cmdline).not.toContain(env.token);
      expect(p.environ).not.toContain(env.token);
    }
    for (const f of await filesUnder(workspace)) {
      expect(await readFile(f, 'utf8')).not.toContain(env.token);
    }
    // The credential lives in the temporary DOCKER_CONFIG only, which the post step removes.
    const config = await readFile(path.join(configDir, 'config.json'), 'utf8');
    expect(config).toContain(env.registryHost);
    await removeDockerConfig(configDir);
    await expect(stat(configDir)).rejects.toThrow();
  }, 60_000);

  test('an unchanged re-run builds nothing and reuses the pushed digest', async () => {
    const first = (await built()).result;
    const c = capture();
    const again = await buildAndPushImage(request(c, { commitSha: 'b'.repeat(40) }));
    expect(again.skipped).toBe(true);
    expect(again.tag).toBe(first.tag);
    expect(again.digest).toBe(first.digest);
    expect(again.reason).toMatch(/already exists/);
    expect(c.lines.filter((l) => l.startsWith('[command]docker'))).toEqual([]);
    expect(c.lines.join('\n')).toContain(`${first.tag} already exists`);
    // the new commit is tagged through the registry API, without docker
    expect(await registryDigest('b'.repeat(40))).toBe(first.digest);
  }, 90_000);

  test('changing only a .dockerignored file keeps the tag', async () => {
    const first = (await built()).result;
    const c = capture();
    const r = await withFile('app/scratch.tmp', 'changed but ignored\n', () =>
      buildAndPushImage(request(c)),
    );
    expect(r.tag).toBe(first.tag);
    expect(r.skipped).toBe(true);
  }, 90_000);

  test('changing a sent file or a build arg changes the tag', async () => {
    const first = (await built()).result;
    const argChanged = capture();
    const r0 = await buildAndPushImage(
      request(argChanged, {
        build: {
          ...request(argChanged).build,
          buildArgs: { STAGE: 'prod' },
          cacheFrom: ['type=local,src=/tmp/c'],
        },
      }),
    );
    expect(r0.tag).not.toBe(first.tag);
    expect(r0.skipped).toBe(false);
    // without buildx (Debian's docker.io) the classic builder runs and says a cache it cannot use is ignored
    if (dockerCommands(argChanged, 'build').length === 1) {
      expect(argChanged.warnings.join('\n')).toMatch(
        /cache-from entry "type=local,src=\/tmp\/c" is ignored: the classic builder/,
      );
    }

    const c = capture();
    const r = await withFile('app/notes/n.txt', 'note, edited\n', () =>
      buildAndPushImage(request(c)),
    );
    expect(r.tag).not.toBe(first.tag);
    expect(r.skipped).toBe(false);
    expect(r.digest).not.toBe(first.digest);
    expect(await registryDigest(r.tag)).toBe(r.digest);
    expect(dockerCommands(c, 'build')).toHaveLength(1);
  }, 120_000);

  test('a wrong password is a clear error naming the registry and what to check', async () => {
    const c = capture();
    const err = await buildAndPushImage(
      request(c, { getAccessToken: async () => 'wrong-token' }),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.phase).toBe('build');
    expect(err.message).toContain(env.registryHost);
    expect(err.message).toMatch(/rejected the credentials/);
    expect(err.message).toMatch(/Artifact Registry Writer/);
    expect(err.message).not.toContain('wrong-token');
  }, 30_000);

  test('docker login with a wrong password is a clear error too', async () => {
    const c = capture();
    const dir = path.join(temp, 'login-config');
    const err = await dockerLogin(env.registryHost, 'wrong-token', {
      env: { DOCKER_CONFIG: dir },
      log: c.log,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain(`docker login to ${env.registryHost} failed`);
    expect(err.message).toMatch(/Artifact Registry Writer/);
    expect(c.lines.join('\n')).not.toContain('wrong-token');
  }, 30_000);

  test("a failed build is a build error carrying the end of Docker's output", async () => {
    const c = capture();
    const err = await withFile(
      'app/Dockerfile.broken',
      'FROM scratch\nCOPY missing-file.txt /\n',
      () =>
        buildAndPushImage(
          request(c, { build: { ...request(c).build, dockerfile: 'app/Dockerfile.broken' } }),
        ).catch((e) => e),
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err.phase).toBe('build');
    expect(err.message).toMatch(/docker build failed/);
    expect(err.message).toMatch(/missing-file\.txt/);
    expect(err.message.split('\n').length).toBeLessThanOrEqual(22);
  }, 30_000);
});
