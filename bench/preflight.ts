// Benchmark: what preflight adds before CreateCustomJob on a passing launch. The bundled action
// (`node <dist>/main/index.js`, prebuilt image, wait: false) launches a queue config with a
// staging bucket and a run-as service account against the Vertex emulator and the Cloud
// Storage and IAM stand-ins (plaintext), with preflight off and on, interleaved. For each: the
// time from spawn to the emulator receiving Create, the Storage and IAM requests per launch,
// and preflight's own time (from its log line). A second "on" series gives every Storage and
// IAM answer a latency: concurrent checks cost about one latency, sequential ones three.
//
//   npx node bench/preflight.ts [--runs 10] [--latency-ms 100]   (bundles from env WBVL_DIST)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startIamEmulator } from '../emulators/iam/emulator.ts';
import { startStorageEmulator } from '../emulators/storage/emulator.ts';
import { startVertexEmulator, type VertexEmulator } from '../emulators/vertex/emulator.ts';
import { runAction } from '../__tests__/helpers/action-runner.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    'latency-ms': { type: 'string', default: '100' },
  },
});
const runs = Number(values.runs);
const latencyMs = Number(values['latency-ms']);

const BUCKET = 'bench-staging';
const RUN_AS = 'trainer@my-proj-1.iam.gserviceaccount.com';
const CONFIG = `spec:
  worker_pool_specs:
    - machine_spec:
        machine_type: n1-standard-4
        accelerator_type: NVIDIA_TESLA_T4
        accelerator_count: 1
      replica_count: 1
      container_spec:
        image_uri: \${image_uri}
  staging_bucket: gs://${BUCKET}
run:
  service_account: ${RUN_AS}
`;

interface Sample {
  toCreate: number;
  storageCalls: number;
  iamCalls: number;
  /** First to last Storage/IAM request arrival, ms: near 0 when they go out together. */
  spread?: number;
  /** Preflight's own time from its log line; undefined when off. */
  preflightMs?: number;
}

type Series = 'off' | 'on' | 'on+latency';

const [vertex, storage, iam] = await Promise.all([
  startVertexEmulator({ tickMs: 60 }),
  startStorageEmulator(),
  startIamEmulator(),
]);
storage.addBucket(BUCKET, { location: 'US-CENTRAL1' });
iam.addAccount(RUN_AS);
const workspace = await mkdtemp(path.join(os.tmpdir(), 'wbvl-bench-preflight-'));
await writeFile(path.join(workspace, 'queue.yaml'), CONFIG);

function createTime(emulator: VertexEmulator, after: number): number {
  const creates = emulator.record().calls.filter((c) => c.method === 'CreateCustomJob');
  const t = Date.parse(creates.at(-1)?.time ?? '');
  if (!(t >= after)) throw new Error('the emulator recorded no CreateCustomJob for this run');
  return t;
}

async function sample(series: Series): Promise<Sample> {
  storage.resetRequests();
  iam.resetRequests();
  storage.delayMs = iam.delayMs = series === 'on+latency' ? latencyMs : 0;
  const result = await runAction({
    inputs: {
      'queue-config': 'queue.yaml',
      project: 'my-proj-1',
      region: 'us-central1',
      image: 'us-central1-docker.pkg.dev/my-proj-1/r/trainer:1',
      'vertex-endpoint': `http://${vertex.grpcAddress}`,
      'storage-endpoint': storage.url,
      'iam-endpoint': iam.url,
      'check-run': 'false',
      'job-summary': 'false',
      wait: 'false',
      preflight: series === 'off' ? 'false' : 'true',
    },
    workspace,
  });
  if (result.code !== 0) throw new Error(`the action failed:\n${result.stdout}${result.stderr}`);
  const took = /Preflight: \d+ error\(s\), \d+ warning\(s\), \d+ passed \((\d+) ms\)/.exec(
    result.stdout,
  );
  const arrivals = [...storage.requests, ...iam.requests].map((r) => r.time);
  return {
    toCreate: createTime(vertex, result.spawnedAt) - result.spawnedAt,
    spread: arrivals.length > 0 ? Math.max(...arrivals) - Math.min(...arrivals) : undefined,
    storageCalls: storage.requests.length,
    iamCalls: iam.requests.length,
    preflightMs: took ? Number(took[1]) : undefined,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const order: Series[] = ['off', 'on', 'on+latency'];
const samples: Record<Series, Sample[]> = { off: [], on: [], 'on+latency': [] };
try {
  for (const series of order) await sample(series); // warm-up: file cache, JIT of the servers
  for (let i = 0; i < runs; i++) {
    // Rotate the order so no series always runs first.
    for (let k = 0; k < order.length; k++) {
      const series = order[(i + k) % order.length];
      samples[series].push(await sample(series));
    }
  }
} finally {
  await Promise.all([vertex.stop(), storage.close(), iam.close()]);
  await rm(workspace, { recursive: true, force: true });
}

const ms = (x: number | undefined) => (x === undefined ? '—' : `${Math.round(x)} ms`);
const med = (s: Sample[], pick: (x: Sample) => number | undefined) => {
  const xs = s.map(pick);
  return xs.every((x) => x !== undefined) ? median(xs as number[]) : undefined;
};
const off = median(samples.off.map((x) => x.toCreate));
const row = (series: Series, label: string) => {
  const s = samples[series];
  const toCreate = median(s.map((x) => x.toCreate));
  const added =
    series === 'off' ? '' : `+${Math.round(toCreate - off)} ms (${(toCreate / off).toFixed(2)}x)`;
  const calls = (pick: (x: Sample) => number) => [...new Set(s.map(pick))].join('/');
  return `| ${label} | ${ms(toCreate)} | ${added} | ${ms(med(s, (x) => x.preflightMs))} | ${calls((x) => x.storageCalls)} | ${calls((x) => x.iamCalls)} | ${ms(med(s, (x) => x.spread))} |`;
};

console.log(`Preflight before Create, ${runs} interleaved runs per series, medians:\n`);
console.log(
  '| launch | spawn -> Create received | added by preflight | preflight itself | Storage calls | IAM calls | first to last request |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|');
console.log(row('off', 'preflight: false'));
console.log(row('on', 'preflight: true'));
console.log(row('on+latency', `preflight: true, ${latencyMs} ms per Storage/IAM answer`));
const lat = med(samples['on+latency'], (x) => x.preflightMs) ?? 0;
const base = med(samples.on, (x) => x.preflightMs) ?? 0;
console.log(
  `\nWith ${latencyMs} ms per answer, preflight took ${Math.round(lat - base)} ms longer than with instant answers ` +
    `(${((lat - base) / latencyMs).toFixed(2)} latencies for 3 requests: ~1 when concurrent, 3 one after another).`,
);
