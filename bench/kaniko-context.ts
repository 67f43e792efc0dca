// Benchmark: builder: kaniko's build context on a 10,000-file context. (1) What the first
// build of a context costs before its build job starts: hashing, packing the reproducible
// tar.gz (against GNU tar + gzip of the same directory, the reference) and uploading it
// through the real @google-cloud/storage client to the Cloud Storage stand-in, with the
// archive's size against the context's. (2) The skip decision of an unchanged re-run
// (digest + registry HEAD, through buildWithKaniko itself: no upload, no build job) against
// that first-build path. Starts its own dockerd and registry (the Vertex emulator serves the one
// build job with a local docker build); needs root and docker.io, docker-registry, apache2-utils.
//
//   npx node bench/kaniko-context.ts [--files 10000] [--runs 5]
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { dockerEnvUnavailable, startDockerEnv } from '../__tests__/helpers/docker-env.ts';
import { startStorageEmulator } from '../emulators/storage/emulator.ts';
import { startVertexEmulator } from '../emulators/vertex/emulator.ts';
import { formatBytes } from '../src/core/image/context-size.ts';
import { digestContext } from '../src/docker/context-digest.ts';
import { buildWithKaniko, DEFAULT_KANIKO_IMAGE, type KanikoRequest } from '../src/kaniko/index.ts';
import { packContext } from '../src/kaniko/pack.ts';
import { connectContextObjects } from '../src/storage/context-upload.ts';
import { connectVertex } from '../src/vertex/index.ts';
import { makeContext } from './make-context.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number) => `${Math.round(x)} ms`;

const FILES = arg('files', 10_000);
const RUNS = arg('runs', 5);
const TARGET_SKIP_MS = 2000;

if (dockerEnvUnavailable) {
  console.error(`kaniko-context benchmark cannot run: ${dockerEnvUnavailable}`);
  process.exit(2);
}

process.env.WB_VERTEX_LAUNCH_TIME_SCALE = '0.002';
const docker = await startDockerEnv();
const storage = await startStorageEmulator();
storage.addBucket('bench-contexts');
const vertex = await startVertexEmulator({
  tickMs: 20,
  kaniko: {
    dockerHost: docker.dockerHost,
    storageUrl: storage.url,
    registryLogins: [
      { host: docker.registryHost, username: 'oauth2accesstoken', password: docker.token },
    ],
  },
});
const work = await mkdtemp(path.join(os.tmpdir(), 'wbvl-bench-kaniko-'));
try {
  const ctx = await makeContext(path.join(work, 'workspace', 'app'), FILES);
  const quiet = { info() {}, warning() {}, debug() {} };
  const settings = { endpoint: storage.url, universe: 'googleapis.com', projectId: 'bench' };
  const objects = await connectContextObjects(settings);
  const digestRequest = {
    contextDir: ctx.dir,
    dockerfile: path.join(ctx.dir, 'Dockerfile'),
    buildArgs: {},
    platform: 'linux/amd64',
  };

  // (1) Hash, pack, upload, one step at a time, against GNU tar + gzip.
  const hash: number[] = [];
  const pack: number[] = [];
  const gnu: number[] = [];
  const upload: number[] = [];
  let archiveBytes = 0;
  let gnuBytes = 0;
  let rawBytes = 0;
  let first: Buffer | undefined;
  let resumable = false;
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    const d = await digestContext(digestRequest);
    hash.push(performance.now() - t);
    rawBytes = d.bytes;

    const out = path.join(work, `ctx-${i}.tar.gz`);
    t = performance.now();
    const packed = await packContext(ctx.dir, d.entries, out);
    pack.push(performance.now() - t);
    archiveBytes = packed.bytes;
    const bytes = await readFile(out);
    if (first && !first.equals(bytes)) throw new Error('the archive is not reproducible');
    first ??= bytes;

    t = performance.now();
    const g = spawnSync(
      'sh',
      ['-c', `tar -C "${ctx.dir}" --exclude=./scratch -cf - . | gzip -6 | wc -c`],
      { encoding: 'utf8' },
    );
    gnu.push(performance.now() - t);
    gnuBytes = Number(g.stdout.trim());

    t = performance.now();
    const r = await objects.upload(
      'bench-contexts',
      `probe/${i}.tar.gz`,
      out,
      packed.bytes,
      'application/gzip',
    );
    upload.push(performance.now() - t);
    resumable = r.resumable;
    await rm(out);
  }

  // (2) One full first build (lands the image), then unchanged re-runs.
  const request: KanikoRequest = {
    registry: `${docker.registryHost}/bench/trainer`,
    build: {
      context: 'app',
      dockerfile: '',
      buildArgs: {},
      platform: 'linux/amd64',
      cacheFrom: [],
      cacheTo: [],
    },
    workspace: path.join(work, 'workspace'),
    getAccessToken: async () => docker.token,
    commitSha: 'f00d',
    project: 'bench',
    region: 'us-central1',
    contextStore: { bucket: 'bench-contexts', prefix: 'ci' },
    executorImage: DEFAULT_KANIKO_IMAGE,
    github: { repository: 'org/repo', runId: '1', runAttempt: '1' },
    buildId: 'bench-1',
    timeoutSeconds: 600,
    cancelOnAbort: true,
    storage: settings,
    openVertex: () =>
      connectVertex({
        region: 'us-central1',
        endpoint: `http://${vertex.grpcAddress}`,
        projectId: 'bench',
      }),
    tempDir: work,
    log: quiet,
    group: (_t, fn) => fn(),
    onBuildJob() {},
  };
  storage.resetRequests();
  let t = performance.now();
  const built = await buildWithKaniko(request);
  const firstBuild = performance.now() - t;
  const uploadsFirst = storage.requests.filter(
    (r) =>
      r.path.startsWith('/upload/') &&
      String(r.headers['user-agent']).startsWith('gcloud-node-storage/'),
  ).length;
  if (built.skipped || uploadsFirst !== 1 || vertex.record().jobsCreated !== 1)
    throw new Error(
      `expected one upload and one build job; got ${uploadsFirst} and ${vertex.record().jobsCreated}`,
    );

  const skip: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    storage.resetRequests();
    t = performance.now();
    const r = await buildWithKaniko({ ...request, buildId: `bench-skip-${i}` });
    skip.push(performance.now() - t);
    if (!r.skipped || r.digest !== built.digest)
      throw new Error('expected an unchanged re-run to skip');
    if (storage.requests.length > 0 || vertex.record().jobsCreated !== 1)
      throw new Error('an unchanged re-run touched Cloud Storage or created a build job');
  }

  const beforeBuild = median(hash) + median(pack) + median(upload);
  console.log(
    `runs: ${RUNS}, context: ${FILES} files, ${formatBytes(rawBytes)} after .dockerignore`,
  );
  console.log(
    `archive: ${formatBytes(archiveBytes)} (${((100 * archiveBytes) / rawBytes).toFixed(1)}% of the context; GNU tar + gzip -6: ${formatBytes(gnuBytes)}), identical bytes in every run`,
  );
  console.log(`hash:   median ${ms(median(hash))}  [${hash.map(ms).join(', ')}]`);
  console.log(`pack:   median ${ms(median(pack))}  [${pack.map(ms).join(', ')}]`);
  console.log(
    `  GNU tar | gzip -6 of the same directory: median ${ms(median(gnu))}; ratio pack / GNU ${(median(pack) / median(gnu)).toFixed(2)}x; ` +
      `pack / hash (the same files read again) ${(median(pack) / median(hash)).toFixed(2)}x`,
  );
  console.log(
    `upload: median ${ms(median(upload))} (${resumable ? 'resumable session' : 'one multipart request'}, local stand-in)  [${upload.map(ms).join(', ')}]`,
  );
  console.log(
    `first build's context path (hash + pack + upload): ${ms(beforeBuild)}; whole first build incl. the build job: ${ms(firstBuild)}`,
  );
  console.log(
    `skip decision, unchanged context (no upload, no build job): median ${ms(median(skip))}  [${skip.map(ms).join(', ')}]`,
  );
  console.log(`ratio context path / skip decision: ${(beforeBuild / median(skip)).toFixed(1)}x`);
  const ok = median(skip) <= TARGET_SKIP_MS;
  console.log(ok ? `target met: skip decision <= ${TARGET_SKIP_MS} ms` : 'TARGET MISSED');
  process.exitCode = ok ? 0 : 1;
} finally {
  await vertex.stop();
  await storage.close();
  await docker.stop();
  await rm(work, { recursive: true, force: true });
}
