// Benchmark: a rebuild after a code-only change on a fresh runner, with the layer cache from
// the registry and without it. The context has a large dependency layer (a RUN step writing
// random bytes, so it never compresses away) and a small code layer. Each rebuild runs on a
// new, empty dockerd against the same registry, through buildAndPushImage itself; bytes
// uploaded are counted from the registry's own access log (blob uploads finished with a PUT).
// Starts its own dockerd and registry (see __tests__/helpers/docker-env.ts; needs root and
// docker.io, docker-registry, apache2-utils).
//
//   npx node bench/layer-cache.ts [--deps-mb 300] [--rounds 2]
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildAndPushImage, type ImageRequest } from '../src/docker/index.ts';
import { dockerEnvUnavailable, startDockerEnv } from '../__tests__/helpers/docker-env.ts';
import { uploadedSince } from '../__tests__/helpers/registry-uploads.ts';
import { pushShellImage } from '../__tests__/helpers/shell-image.ts';

const { values } = parseArgs({
  options: {
    'deps-mb': { type: 'string', default: '300' },
    rounds: { type: 'string', default: '2' },
  },
});
const DEPS_MB = Number(values['deps-mb']);
const ROUNDS = Number(values.rounds);

if (dockerEnvUnavailable) {
  console.error(`layer-cache benchmark cannot run: ${dockerEnvUnavailable}`);
  process.exit(2);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const size = (bytes: number) =>
  bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;

const env = await startDockerEnv();
const work = await mkdtemp(path.join(os.tmpdir(), 'wbvl-bench-'));
try {
  const base = `${env.registryHost}/base/shell:1`;
  pushShellImage(env, base, env.token);
  const app = path.join(work, 'workspace', 'app');
  await mkdir(path.join(app, 'deps'), { recursive: true });
  await mkdir(path.join(app, 'src'));
  await writeFile(
    path.join(app, 'Dockerfile'),
    [
      `FROM ${base}`,
      'COPY deps/ /deps/',
      `RUN head -c ${DEPS_MB * 1024 * 1024} /dev/urandom > /opt-deps.bin`,
      'COPY src/ /app/',
      '',
    ].join('\n'),
  );
  await writeFile(path.join(app, 'deps', 'requirements.txt'), 'torch==2.5.0\n');
  let version = 0;
  const changeCode = () =>
    writeFile(path.join(app, 'src', 'train.py'), `print("version ${++version}")\n`);

  const quiet = { info() {}, warning() {}, debug() {} };
  const request = (configDir: string, cacheFrom: string[] = []): ImageRequest => ({
    registry: `${env.registryHost}/bench/trainer`,
    build: { context: 'app', dockerfile: '', buildArgs: {}, platform: '', cacheFrom, cacheTo: [] },
    workspace: path.join(work, 'workspace'),
    getAccessToken: async () => env.token,
    jobRegion: 'us-central1',
    dockerConfigDir: path.join(work, configDir),
    log: quiet,
    group: (_t, fn) => fn(),
  });

  // The image a previous run pushed, with its cache tag.
  await changeCode();
  process.env.DOCKER_HOST = env.dockerHost;
  let t = performance.now();
  await buildAndPushImage(request('config-seed'));
  console.log(
    `seed build (${DEPS_MB} MiB dependency layer): ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  // A cache source that does not exist stands for "no cache": the build behaves as before the
  // cache existed, plus one failed pull of a missing tag.
  const noCache = [`${env.registryHost}/bench/trainer:no-such-cache`];
  interface Sample {
    ms: number;
    bytes: number;
  }
  const samples: Record<'cached' | 'uncached', Sample[]> = { cached: [], uncached: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order =
      round % 2 === 0 ? (['uncached', 'cached'] as const) : (['cached', 'uncached'] as const);
    for (const kind of order) {
      await changeCode();
      const daemon = await env.freshDaemon();
      process.env.DOCKER_HOST = daemon.dockerHost;
      const logStart = (await env.registryLog()).length;
      t = performance.now();
      await buildAndPushImage(request(`config-${kind}-${round}`, kind === 'cached' ? [] : noCache));
      const ms = performance.now() - t;
      const { bytes } = await uploadedSince(
        await env.registryLog(),
        logStart,
        env.registryHost,
        env.token,
      );
      samples[kind].push({ ms, bytes });
      console.log(
        `round ${round + 1} ${kind}: ${(ms / 1000).toFixed(1)} s, ${size(bytes)} uploaded`,
      );
      await daemon.stop();
    }
  }

  const c = {
    ms: median(samples.cached.map((s) => s.ms)),
    bytes: median(samples.cached.map((s) => s.bytes)),
  };
  const u = {
    ms: median(samples.uncached.map((s) => s.ms)),
    bytes: median(samples.uncached.map((s) => s.bytes)),
  };
  const bytesRatio = u.bytes / Math.max(c.bytes, 1);
  const timeRatio = u.ms / c.ms;
  console.log('');
  console.log(`| rebuild on a fresh runner (medians of ${ROUNDS}) | wall time | uploaded |`);
  console.log('| --- | ---: | ---: |');
  console.log(`| without cache | ${(u.ms / 1000).toFixed(1)} s | ${size(u.bytes)} |`);
  console.log(
    `| with the registry layer cache | ${(c.ms / 1000).toFixed(1)} s | ${size(c.bytes)} |`,
  );
  console.log(
    `| ratio | **${timeRatio.toFixed(1)}x** faster (target >= 2x) | **${bytesRatio.toFixed(0)}x** fewer bytes (target >= 5x) |`,
  );
  if (timeRatio < 2 || bytesRatio < 5) process.exitCode = 1;
} finally {
  await env.stop();
  await rm(work, { recursive: true, force: true });
}
