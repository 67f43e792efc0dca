// Benchmark: process start -> CreateCustomJob received by the Vertex emulator, for the bundled
// action (`node <dist>/main/index.js`, prebuilt image, plaintext endpoint, wait: false) against
// the floor (bench/floor-create.ts: the same call with grpc-js + proto-loader alone). Runs are
// interleaved so both see the same machine load; medians and their ratio come from one run.
// Also: the main bundle's size on disk and each process's peak RSS, and the same for the other
// two bundles on their Vertex paths: the post step cancelling a job main was following, and
// the CLI's `launch` (start -> CreateCustomJob too).
//
//   npx node bench/submit-latency.ts [--runs 10]      (bundles from env WBVL_DIST, default dist)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { stripTypeScriptTypes } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startVertexEmulator, type VertexEmulator } from '../emulators/vertex/emulator.ts';
import {
  bundlePath,
  distDir,
  nodeBinary,
  REPO_ROOT,
  runAction,
} from '../__tests__/helpers/action-runner.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
const GNU_TIME = '/usr/bin/time';

interface Sample {
  /** spawn -> Create received, ms */
  toCreate: number;
  /** spawn -> exit, ms */
  total: number;
  /** peak resident set, KiB (undefined without /usr/bin/time) */
  maxRssKiB?: number;
}

const inputs = (emulator: VertexEmulator, extra: Record<string, string> = {}) => ({
  'queue-config': 'examples/queue-config.yaml',
  project: 'my-proj-1',
  region: 'us-central1',
  image: 'us-docker.pkg.dev/my-proj-1/r/trainer:1',
  'vertex-endpoint': `http://${emulator.grpcAddress}`,
  'check-run': 'false',
  wait: 'false',
  ...extra,
});

function lastCreateTime(emulator: VertexEmulator, after: number): number {
  const creates = emulator
    .record()
    .calls.filter((c) => c.method === 'CreateCustomJob' && c.code === 0);
  const t = Date.parse(creates.at(-1)?.time ?? '');
  if (!(t >= after)) throw new Error('the emulator recorded no CreateCustomJob for this run');
  return t;
}

/** GNU time's `%M` (max RSS, KiB) from the wrapped process's stderr. */
function rssOf(stderr: string): number | undefined {
  const m = /WBVL_MAXRSS_KIB=(\d+)/.exec(stderr);
  return m ? Number(m[1]) : undefined;
}

async function actionSample(emulator: VertexEmulator): Promise<Sample> {
  const wrap = existsSync(GNU_TIME);
  const result = await runAction({
    inputs: inputs(emulator),
    ...(wrap ? { wrapper: [GNU_TIME, '-f', 'WBVL_MAXRSS_KIB=%M'] } : {}),
  });
  if (result.code !== 0) throw new Error(`the action failed:\n${result.stdout}${result.stderr}`);
  return {
    toCreate: lastCreateTime(emulator, result.spawnedAt) - result.spawnedAt,
    total: result.elapsedMs,
    maxRssKiB: rssOf(result.stderr),
  };
}

/** The name of the job the last successful CreateCustomJob made. */
function lastCreatedJob(emulator: VertexEmulator): string {
  const name = emulator.record().jobs.at(-1)?.name;
  if (typeof name !== 'string') throw new Error('the emulator has no job to cancel');
  return name;
}

/** The post step as the runner starts it after a cancelled main: it cancels the job. */
async function postSample(emulator: VertexEmulator): Promise<Sample> {
  const wrap = existsSync(GNU_TIME);
  const result = await runAction({
    step: 'post',
    inputs: inputs(emulator),
    state: { 'job-name': lastCreatedJob(emulator), 'job-phase': 'following' },
    ...(wrap ? { wrapper: [GNU_TIME, '-f', 'WBVL_MAXRSS_KIB=%M'] } : {}),
  });
  if (result.code !== 0 || !/cancellation requested/.test(result.stdout))
    throw new Error(`the post step did not cancel:\n${result.stdout}${result.stderr}`);
  const cancels = emulator.record().calls.filter((c) => c.method === 'CancelCustomJob');
  return {
    toCreate: Date.parse(cancels.at(-1)?.time ?? '') - result.spawnedAt,
    total: result.elapsedMs,
    maxRssKiB: rssOf(result.stderr),
  };
}

/** `wb-vertex-launch launch` from the CLI bundle, the same queue config and endpoint. */
async function cliSample(emulator: VertexEmulator): Promise<Sample> {
  const i = inputs(emulator);
  const args = [
    nodeBinary(),
    path.join(dist, 'cli', 'index.js'),
    'launch',
    ...['--queue-config', i['queue-config'], '--project', i.project, '--region', i.region],
    ...['--image', i.image, '--vertex-endpoint', i['vertex-endpoint']],
  ];
  return timedProcess(emulator, args, 'cli launch');
}

async function timedProcess(
  emulator: VertexEmulator,
  args: string[],
  what: string,
): Promise<Sample> {
  const argv = existsSync(GNU_TIME) ? [GNU_TIME, '-f', 'WBVL_MAXRSS_KIB=%M', ...args] : args;
  const spawnedAt = Date.now();
  const child = spawn(argv[0], argv.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: REPO_ROOT,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`${what} failed: ${stderr}`);
  return {
    toCreate: lastCreateTime(emulator, spawnedAt) - spawnedAt,
    total: Date.now() - spawnedAt,
    maxRssKiB: rssOf(stderr),
  };
}

/**
 * The floor as plain JavaScript: Node strips TypeScript types with a WebAssembly parser that
 * costs the process time and tens of MiB, which no bundle pays. Written beside node_modules
 * so the packages resolve as from bench/.
 */
async function floorScript(): Promise<string> {
  const dir = path.join(REPO_ROOT, 'node_modules', '.cache', 'wbvl-floor');
  await mkdir(dir, { recursive: true });
  for (const name of ['floor-create', 'job-service-client']) {
    const ts = await readFile(path.join(REPO_ROOT, 'bench', `${name}.ts`), 'utf8');
    const js = stripTypeScriptTypes(ts).replace(/\.ts'/g, ".mjs'");
    await writeFile(path.join(dir, `${name}.mjs`), js);
  }
  return path.join(dir, 'floor-create.mjs');
}

async function floorSample(
  emulator: VertexEmulator,
  script: string,
  requestFile: string,
): Promise<Sample> {
  return timedProcess(
    emulator,
    [nodeBinary(), script, emulator.grpcAddress, requestFile],
    'floor-create',
  );
}

async function sizeOnDisk(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const fmt = (n: number | undefined, unit = '') =>
  n === undefined ? 'n/a' : `${Math.round(n).toLocaleString('en')}${unit}`;

const dist = distDir();
const GCLOUD_RSS_MIB = 91; // gcloud ai custom-jobs create, measured on this machine's kind (issue 14)
const mainBundle = bundlePath('main', dist);
const emulator = await startVertexEmulator({ scenario: 'run-forever' });
try {
  // The request the action sends, for the floor to send too (a dry run writes it).
  const dry = await runAction({ inputs: inputs(emulator, { 'dry-run': 'true' }) });
  const requestFile = path.join(dry.runnerTemp, 'floor-request.json');
  await writeFile(requestFile, await readFile(dry.outputs['request-file'], 'utf8'));

  // One warm-up of each (page cache), not counted.
  await actionSample(emulator);
  await postSample(emulator);
  await cliSample(emulator);
  const floorJs = await floorScript();
  await floorSample(emulator, floorJs, requestFile);
  const action: Sample[] = [];
  const post: Sample[] = [];
  const cli: Sample[] = [];
  const floor: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    action.push(await actionSample(emulator));
    post.push(await postSample(emulator));
    cli.push(await cliSample(emulator));
    floor.push(await floorSample(emulator, floorJs, requestFile));
    process.stderr.write(
      `run ${i + 1}/${runs}: action ${action[i].toCreate} ms, cli ${cli[i].toCreate} ms, floor ${floor[i].toCreate} ms\n`,
    );
  }

  const a = median(action.map((s) => s.toCreate));
  const f = median(floor.map((s) => s.toCreate));
  const rss = (xs: Sample[]) =>
    xs.every((s) => s.maxRssKiB !== undefined)
      ? median(xs.map((s) => s.maxRssKiB!)) / 1024
      : undefined;
  const bundleBytes = await sizeOnDisk(path.dirname(mainBundle));
  console.log(`\nSubmit latency, ${runs} interleaved runs each (medians), bundles in ${dist}\n`);
  console.log('| | start -> Create (post: Cancel) received | start -> exit | peak RSS |');
  console.log('|---|---:|---:|---:|');
  const row = (label: string, xs: Sample[]) =>
    console.log(
      `| ${label} | ${fmt(median(xs.map((s) => s.toCreate)), ' ms')} | ${fmt(median(xs.map((s) => s.total)), ' ms')} | ${fmt(rss(xs), ' MiB')} |`,
    );
  row('action (dist/main, wait: false)', action);
  row('post step (dist/post, cancels the job)', post);
  row('CLI launch (dist/cli)', cli);
  row('floor (grpc-js + proto-loader, plain JS)', floor);
  console.log(`\nratio action/floor (start -> Create): ${(a / f).toFixed(2)}x (target <= 1.25x)`);
  const c = median(cli.map((s) => s.toCreate));
  console.log(`ratio cli launch/floor (start -> Create): ${(c / f).toFixed(2)}x`);
  for (const [label, xs] of [
    ['main', action],
    ['post', post],
    ['cli', cli],
  ] as const) {
    const r = rss(xs);
    console.log(
      `peak RSS ${label}: ${fmt(r, ' MiB')} (target: below gcloud's ${GCLOUD_RSS_MIB} MiB${r === undefined ? '' : r < GCLOUD_RSS_MIB ? ': met' : ': NOT met'})`,
    );
  }
  console.log(
    `dist/main on disk: ${(bundleBytes / 1024 / 1024).toFixed(2)} MiB (index.js ${((await stat(mainBundle)).size / 1024 / 1024).toFixed(2)} MiB)`,
  );
  console.log(
    `action samples (ms): ${action.map((s) => s.toCreate).join(' ')}\nfloor samples (ms):  ${floor.map((s) => s.toCreate).join(' ')}`,
  );
} finally {
  await emulator.stop();
}
