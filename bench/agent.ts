// Benchmark of one agent pass (`agent: true`, wait: false) through the bundled action over 20
// queued items, against the W&B and Vertex stand-ins with 100 ms added to every answer, as a
// distant W&B and Vertex would. Three queues: 20 image items; 20 items of one image job (its
// wandb-job.json read once for the pass); 20 items of 20 different jobs. For each: the GraphQL
// requests (per item: goal <= 3), artifact file downloads, Vertex calls, the pass's own time
// (first W&B request to the last Create's answer) against what its calls would take one after
// another, and spawn to exit. Medians of the runs, all measured in this run.
//
//   npx node bench/agent.ts [--items 20] [--latency-ms 100] [--runs 3]   (bundles from WBVL_DIST)
import { parseArgs } from 'node:util';
import { startVertexEmulator } from '../emulators/vertex/emulator.ts';
import { startWandbEmulator } from '../emulators/wandb/emulator.ts';
import { runAction } from '../__tests__/helpers/action-runner.ts';

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '20' },
    'latency-ms': { type: 'string', default: '100' },
    runs: { type: 'string', default: '3' },
  },
});
const ITEMS = Number(values.items);
const LATENCY = Number(values['latency-ms']);
const RUNS = Number(values.runs);
const KEY = 'local-bench0000000000000000000000000000000000';
const QUEUE = 'bench-team/vertex-queue';
const IMAGE = 'us-docker.pkg.dev/bench-proj-1/r/trainer:1';

const [wandb, vertex] = await Promise.all([
  startWandbEmulator({ apiKeys: [KEY] }),
  startVertexEmulator({ tickMs: 1000 }),
]);

type Kind = 'image items' | 'one job' | 'a job each';

function seed(kind: Kind): void {
  wandb.reset();
  vertex.reset();
  wandb.addQueue(QUEUE, {
    config: {
      spec: {
        worker_pool_specs: [
          {
            machine_spec: { machine_type: 'n1-standard-4' },
            replica_count: 1,
            container_spec: { image_uri: '${image_uri}' },
          },
        ],
        staging_bucket: 'gs://bench-staging',
      },
      run: {},
    },
  });
  for (let i = 0; i < ITEMS; i++) {
    const job = `bench-team/runs/trainer-${kind === 'a job each' ? i : 0}`;
    if (kind !== 'image items' && (i === 0 || kind === 'a job each')) {
      const json = {
        source_type: 'image',
        source: { image: IMAGE, entrypoint: ['python', 't.py'] },
      };
      wandb.addArtifact(job, { files: { 'wandb-job.json': JSON.stringify(json) } });
    }
    const runSpec =
      kind === 'image items'
        ? { docker: { docker_image: IMAGE } }
        : { job: `${job}:latest`, entity: 'bench-team', project: 'runs' };
    wandb.enqueue(QUEUE, { runSpec });
  }
  wandb.delayMs = LATENCY;
  vertex.setDelayMs(LATENCY);
}

interface Sample {
  graphql: number;
  files: number;
  vertex: number;
  launched: number;
  passMs: number;
  exitMs: number;
}

async function sample(kind: Kind): Promise<Sample> {
  seed(kind);
  const result = await runAction({
    inputs: {
      agent: 'true',
      'wandb-queue': QUEUE,
      'agent-max-items': String(ITEMS),
      wait: 'false',
      project: 'bench-proj-1',
      region: 'us-central1',
      'vertex-endpoint': `http://${vertex.grpcAddress}`,
      'wandb-api-key': KEY,
      'wandb-base-url': wandb.url,
      'check-run': 'false',
      'job-summary': 'false',
    },
    timeoutMs: 120_000,
  });
  if (result.code !== 0) throw new Error(`the pass failed:\n${result.stdout}${result.stderr}`);
  const calls = vertex.record().calls;
  const creates = calls.filter((c) => c.method === 'CreateCustomJob');
  const launched = JSON.parse(result.outputs['wandb-run-queue-items']).filter(
    (o: { state: string }) => o.state === 'launched',
  ).length;
  const first = Math.min(...wandb.requests.map((r) => r.at));
  const lastCreate = Math.max(...creates.map((c) => Date.parse(c.time))) + LATENCY;
  return {
    graphql: wandb.requests.length,
    files: wandb.fileRequests.length,
    vertex: calls.length,
    launched,
    passMs: lastCreate - first,
    exitMs: result.elapsedMs,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kinds: Kind[] = ['image items', 'one job', 'a job each'];
const samples = new Map<Kind, Sample[]>(kinds.map((k) => [k, []]));
try {
  for (let run = 0; run < RUNS; run++)
    for (const kind of kinds) samples.get(kind)!.push(await sample(kind));
} finally {
  await Promise.all([wandb.close(), vertex.stop()]);
}

console.log(
  `One agent pass over ${ITEMS} queued items, ${LATENCY} ms added to every W&B and Vertex answer, medians of ${RUNS} runs:\n`,
);
console.log(
  '| queue | launched | GraphQL requests | per item | file downloads | Vertex calls | pass: first W&B request -> last Create answered | the same calls one after another | ratio | spawn -> exit |',
);
console.log('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
for (const kind of kinds) {
  const s = samples.get(kind)!;
  const m = (f: (x: Sample) => number) => median(s.map(f));
  const calls = m((x) => x.graphql + x.files + x.vertex);
  const sequential = calls * LATENCY;
  const pass = m((x) => x.passMs);
  console.log(
    `| ${ITEMS} ${kind} | ${m((x) => x.launched)} | ${m((x) => x.graphql)} | ${(m((x) => x.graphql) / ITEMS).toFixed(2)} | ${m((x) => x.files)} | ${m((x) => x.vertex)} | ${pass} ms | ${sequential} ms | ${(pass / sequential).toFixed(2)}x | ${m((x) => x.exitMs)} ms |`,
  );
}
