// Cloud Logging that never answers (nothing listening, or a server that accepts and stays
// silent) costs the step at most a short wait after the job's end, not the full drain: the
// bundled action at real speed (no time scale) against the Vertex emulator.
import { createServer, type Server, type Socket } from 'node:net';
import { startVertexEmulator, type VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { runAction } from '../helpers/action-runner.ts';
import { freePort } from '../helpers/docker-env.ts';

/** A succeeding job of the emulator ends 4 ticks after its creation. */
const TICK_MS = 250;
let vertex: VertexEmulator;
let silent: Server;
const sockets: Socket[] = [];

beforeAll(async () => {
  vertex = await startVertexEmulator({ tickMs: TICK_MS });
  // Accepts connections and never says a word: every read waits for its own deadline.
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => silent?.close(resolve));
  await vertex?.stop();
});

async function stepEndAfterJobEnd(loggingEndpoint: string) {
  vertex.reset();
  const result = await runAction({
    inputs: {
      'queue-config': 'examples/queue-config.yaml',
      project: 'my-proj-1',
      region: 'us-central1',
      image: 'us-docker.pkg.dev/my-proj-1/r/trainer:1',
      'vertex-endpoint': `http://${vertex.grpcAddress}`,
      'logging-endpoint': loggingEndpoint,
      'check-run': 'false',
    },
    timeoutMs: 150_000,
  });
  expect(result.errors).toEqual([]);
  expect(result.code).toBe(0);
  expect(result.outputs['job-state']).toBe('JOB_STATE_SUCCEEDED');
  expect(result.stdout).toContain('Cloud Logging did not answer once while the job ran');
  const [job] = vertex.record().jobs;
  const jobEnd = Date.parse(String(job.createTime)) + 4 * TICK_MS;
  return result.spawnedAt + result.elapsedMs - jobEnd;
}

test('nothing listening on logging-endpoint: the step ends within 15 s of the job', async () => {
  const late = await stepEndAfterJobEnd(`http://127.0.0.1:${await freePort()}`);
  expect(late).toBeLessThan(15_000);
}, 160_000);

test('a logging-endpoint that accepts and never answers: the step ends within 15 s of the job', async () => {
  const { port } = silent.address() as { port: number };
  const late = await stepEndAfterJobEnd(`http://127.0.0.1:${port}`);
  expect(late).toBeLessThan(15_000);
}, 160_000);
