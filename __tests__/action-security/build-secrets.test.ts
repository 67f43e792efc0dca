// Secret-named build args reach the Docker build as BuildKit secrets, never as --build-arg:
// a `RUN --mount=type=secret` step reads the value, and the pushed image (its history, config
// and layers) holds none of it. The bundled action against a private dockerd and registry.
//
// This machine's docker CLI on PATH may have no BuildKit (a CLI >= 23 without buildx), so the
// runner's docker here is Debian's 20.10 CLI, which carries a BuildKit client; the test dockerd
// has no bridge network, so its BuildKit RUN steps need --network=none, which the stand-in
// `docker` on PATH adds to `docker build`. Everything else is the real CLI and daemon.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeWorkspace, startImageWorld, type ImageWorld } from '../action-image/setup.ts';
import { runAction, type ActionResult } from '../helpers/action-runner.ts';
import { dockerEnvUnavailable } from '../helpers/docker-env.ts';
import { shellRootfsTar } from '../helpers/shell-image.ts';

const DEBIAN_DOCKER = '/usr/bin/docker';
const unavailable =
  dockerEnvUnavailable ??
  (existsSync(DEBIAN_DOCKER) ? undefined : `${DEBIAN_DOCKER} (Debian's docker.io CLI) is missing`);
const describeDocker = unavailable ? describe.skip : describe;
if (unavailable) test.skip(`build secrets against dockerd skipped: ${unavailable}`, () => {});

const SECRET = `hf_${randomBytes(16).toString('hex')}`;
const DOCKERFILE = [
  'FROM wbvl-shell:1',
  'ARG STAGE',
  'ARG HF_TOKEN',
  // Keeps only the first 6 characters: proof the step saw the secret, without storing it.
  'RUN --mount=type=secret,id=HF_TOKEN head -c 6 /run/secrets/HF_TOKEN > /secret-prefix',
  'RUN echo "$STAGE" > /stage',
  '',
].join('\n');

describeDocker('bundled action: secret build args as BuildKit secrets', () => {
  let world: ImageWorld;
  let workspace: string;
  let bin: string;
  let result: ActionResult;

  const launch = (pathDir: string) =>
    runAction({
      inputs: { ...world.inputs, 'build-args': `STAGE=prod-stage\nHF_TOKEN=${SECRET}` },
      env: { ...world.env, PATH: `${pathDir}:${process.env.PATH}` },
      workspace,
      timeoutMs: 120_000,
    });

  beforeAll(async () => {
    world = await startImageWorld();
    const { tar, cleanup } = shellRootfsTar();
    try {
      world.docker.docker(['import', tar, 'wbvl-shell:1']);
    } finally {
      cleanup();
    }
    workspace = await makeWorkspace(DOCKERFILE, 'secrets');
    bin = await mkdtemp(path.join(os.tmpdir(), 'wbvl-bin-'));
    await mkdir(bin, { recursive: true });
    const docker = path.join(bin, 'docker');
    await writeFile(
      docker,
      [
        '#!/bin/sh',
        `if [ "$1" = build ]; then shift; exec ${DEBIAN_DOCKER} build --network=none "$@"; fi`,
        `exec ${DEBIAN_DOCKER} "$@"`,
        '',
      ].join('\n'),
    );
    await chmod(docker, 0o755);
    result = await launch(bin);
  }, 180_000);
  afterAll(async () => {
    await world?.close();
    for (const dir of [workspace, bin]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the build passes it as --secret (never on the command line); ARG HF_TOKEN is warned about', () => {
    expect(result.errors).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--secret id=HF_TOKEN,env=HF_TOKEN');
    expect(result.stdout).toContain('--build-arg STAGE=prod-stage');
    const logged = result.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(logged).not.toContain(SECRET);
    expect(result.stdout).toMatch(/::warning::build-args: HF_TOKEN is passed as a BuildKit secret/);
  });

  test('the pushed image: the RUN step saw the secret; history, config and layers hold none of it', async () => {
    const image = result.outputs['image-uri'];
    expect(image).toMatch(/@sha256:/);
    const fresh = await world.docker.freshDaemon();
    const host = image.split('/')[0];
    fresh.docker(
      ['login', '--username', 'oauth2accesstoken', '--password-stdin', host],
      `${world.docker.token}\n`,
    );
    fresh.docker(['pull', image]);
    const history = fresh.docker(['history', '--no-trunc', image]);
    // Plain build args are in the history: the check below could see a secret there.
    expect(history).toContain('STAGE=prod-stage');
    expect(history).not.toContain(SECRET);
    expect(fresh.docker(['image', 'inspect', image])).not.toContain(SECRET);
    const saved = execFileSync('docker', ['save', image], {
      env: { ...process.env, DOCKER_HOST: fresh.dockerHost },
      maxBuffer: 256 << 20,
    });
    expect(saved.includes(Buffer.from(SECRET))).toBe(false);
    const seen = fresh.docker(['run', '--rm', '--network=none', image, 'cat', '/secret-prefix']);
    expect(seen).toBe(SECRET.slice(0, 6));
  }, 60_000);

  test('a docker without BuildKit: a located build-args error, nothing built or submitted', async () => {
    const cli = noBuildKitCli();
    if (!cli) return; // every docker CLI here can build with BuildKit
    const noBuildKit = await mkdtemp(path.join(os.tmpdir(), 'wbvl-bin-'));
    try {
      await symlink(cli, path.join(noBuildKit, 'docker'));
      // A new context, so the registry has no image of it yet and a build is due.
      await writeFile(path.join(workspace, 'changed.txt'), randomBytes(8).toString('hex'));
      world.vertex.reset();
      const failed = await launch(noBuildKit);
      expect(failed.code).toBe(1);
      expect(failed.errors).toHaveLength(1);
      expect(failed.errors[0]).toContain('build-args: HF_TOKEN: secret-named build args');
      expect(failed.errors[0]).toContain('buildx');
      expect(world.vertex.record().calls.filter((c) => c.method === 'CreateCustomJob')).toEqual([]);
    } finally {
      await rm(noBuildKit, { recursive: true, force: true });
    }
  }, 120_000);
});

/** A docker CLI of 23 or later without buildx (it refuses BuildKit), when this machine has one. */
function noBuildKitCli(): string | undefined {
  for (const cli of ['/usr/local/bin/docker', '/usr/bin/docker']) {
    if (!existsSync(cli)) continue;
    try {
      execFileSync(cli, ['buildx', 'version'], { stdio: 'ignore' });
      continue;
    } catch {
      // no buildx: a CLI from 23 on then has no BuildKit at all
    }
    const version = execFileSync(cli, ['--version'], { encoding: 'utf8' });
    const major = Number(/version (\d+)\./.exec(version)?.[1]);
    if (major >= 23) return cli;
  }
  return undefined;
}
