// Benchmark: the unchanged re-run's skip decision (context digest + registry HEAD, through
// buildAndPushImage itself) against a fully cached `docker build` of the same context.
// Starts its own dockerd and registry (see __tests__/helpers/docker-env.ts; needs root and
// docker.io, docker-registry, apache2-utils).
//
//   npx node bench/skip-build.ts [--files 10000] [--runs 5]
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildAndPushImage, type ImageRequest } from '../src/docker/index.ts';
import { dockerEnvUnavailable, startDockerEnv } from '../__tests__/helpers/docker-env.ts';
import { makeContext } from './make-context.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const FILES = arg('files', 10_000);
const RUNS = arg('runs', 5);
const TARGET_MS = 2000;

if (dockerEnvUnavailable) {
  console.error(`skip-build benchmark cannot run: ${dockerEnvUnavailable}`);
  process.exit(2);
}

const env = await startDockerEnv();
const work = await mkdtemp(path.join(os.tmpdir(), 'wbvl-bench-'));
process.env.DOCKER_HOST = env.dockerHost;
try {
  const ctx = await makeContext(path.join(work, 'workspace', 'app'), FILES);
  const quiet = { info() {}, warning() {}, debug() {} };
  const request: ImageRequest = {
    registry: `${env.registryHost}/bench/trainer`,
    build: {
      context: 'app',
      dockerfile: '',
      buildArgs: {},
      platform: 'linux/amd64',
      cacheFrom: [],
      cacheTo: [],
    },
    workspace: path.join(work, 'workspace'),
    getAccessToken: async () => env.token,
    jobRegion: 'us-central1',
    dockerConfigDir: path.join(work, 'docker-config'),
    log: quiet,
    group: (_t, fn) => fn(),
  };

  let t = performance.now();
  const first = await buildAndPushImage(request);
  console.log(
    `first run: built and pushed ${first.tag} (${FILES} files) in ${Math.round(performance.now() - t)} ms`,
  );

  const skip: number[] = [];
  const cached: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    t = performance.now();
    const r = await buildAndPushImage(request);
    skip.push(performance.now() - t);
    if (!r.skipped || r.digest !== first.digest)
      throw new Error('expected an unchanged re-run to skip');

    t = performance.now();
    const b = spawnSync(
      'docker',
      ['build', '-q', '--platform', 'linux/amd64', '-t', `bench:${first.tag}`, ctx.dir],
      {
        env: { ...process.env, DOCKER_BUILDKIT: '0', DOCKER_CONFIG: request.dockerConfigDir },
        encoding: 'utf8',
      },
    );
    cached.push(performance.now() - t);
    if (b.status !== 0) throw new Error(`docker build failed: ${b.stderr}`);
  }

  const ms = (x: number) => `${Math.round(x)} ms`;
  console.log(`runs: ${RUNS}, context: ${FILES} files`);
  console.log(
    `skip decision (digest + registry HEAD): median ${ms(median(skip))}  [${skip.map(ms).join(', ')}]`,
  );
  console.log(
    `cached docker build (classic builder):   median ${ms(median(cached))}  [${cached.map(ms).join(', ')}]`,
  );
  console.log(`ratio cached build / skip decision: ${(median(cached) / median(skip)).toFixed(1)}x`);
  const ok = median(skip) <= TARGET_MS && median(skip) < median(cached);
  console.log(
    ok
      ? `target met: skip decision <= ${TARGET_MS} ms and below the cached build`
      : 'TARGET MISSED',
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  await env.stop();
  await rm(work, { recursive: true, force: true });
}
