// Benchmark: process start -> CreateCustomJob received by the Vertex emulator, for the bundled
// action (`node <dist>/main/index.js`, prebuilt image, plaintext endpoint, wait: false) against
// the floor (bench/floor-create.ts: the same call with grpc-js + proto-loader alone). Runs are
// interleaved so both see the same machine load; medians and their ratio come from one run.
// Also: the main bundle's size on disk and each process's peak RSS.
//
//   npx node bench/submit-latency.ts [--runs 10]      (bundles from env WBVL_DIST, default dist)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
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

async function floorSample(emulator: VertexEmulator, requestFile: string): Promise<Sample> {
  const script = path.join(REPO_ROOT, 'bench', 'floor-create.ts');
  const args = [nodeBinary(), script, emulator.grpcAddress, requestFile];
  const argv = existsSync(GNU_TIME) ? [GNU_TIME, '-f', 'WBVL_MAXRSS_KIB=%M', ...args] : args;
  const spawnedAt = Date.now();
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`floor-create failed: ${stderr}`);
  return {
    toCreate: lastCreateTime(emulator, spawnedAt) - spawnedAt,
    total: Date.now() - spawnedAt,
    maxRssKiB: rssOf(stderr),
  };
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
const mainBundle = bundlePath('main', dist);
const emulator = await startVertexEmulator({ scenario: 'run-forever' });
try {
  // The request the action sends, for the floor to send too (a dry run writes it).
  const dry = await runAction({ inputs: inputs(emulator, { 'dry-run': 'true' }) });
  const requestFile = path.join(dry.runnerTemp, 'floor-request.json');
  const { readFile } = await import('node:fs/promises');
  await writeFile(requestFile, await readFile(dry.outputs['request-file'], 'utf8'));

  // One warm-up of each (page cache), not counted.
  await actionSample(emulator);
  await floorSample(emulator, requestFile);
  const action: Sample[] = [];
  const floor: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    action.push(await actionSample(emulator));
    floor.push(await floorSample(emulator, requestFile));
    process.stderr.write(
      `run ${i + 1}/${runs}: action ${action[i].toCreate} ms, floor ${floor[i].toCreate} ms\n`,
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
  console.log('| | start -> Create received | start -> exit | peak RSS |');
  console.log('|---|---:|---:|---:|');
  console.log(
    `| action (dist/main, wait: false) | ${fmt(a, ' ms')} | ${fmt(median(action.map((s) => s.total)), ' ms')} | ${fmt(rss(action), ' MiB')} |`,
  );
  console.log(
    `| floor (grpc-js + proto-loader) | ${fmt(f, ' ms')} | ${fmt(median(floor.map((s) => s.total)), ' ms')} | ${fmt(rss(floor), ' MiB')} |`,
  );
  console.log(`\nratio action/floor (start -> Create): ${(a / f).toFixed(2)}x (target <= 1.5x)`);
  console.log(
    `dist/main on disk: ${(bundleBytes / 1024 / 1024).toFixed(2)} MiB (index.js ${((await stat(mainBundle)).size / 1024 / 1024).toFixed(2)} MiB)`,
  );
  console.log(
    `action samples (ms): ${action.map((s) => s.toCreate).join(' ')}\nfloor samples (ms):  ${floor.map((s) => s.toCreate).join(' ')}`,
  );
} finally {
  await emulator.stop();
}
