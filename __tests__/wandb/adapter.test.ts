// The W&B adapter against the W&B stand-in: the SDK's queries, basic auth, the summary's
// JSON text (with Python's NaN), sampled history per key, and how failures are classified.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startWandbEmulator, type WandbEmulator } from '../../emulators/wandb/emulator.ts';
import { trainingRun } from '../../emulators/wandb/synthetic.ts';
import {
  defaultEntity,
  readRun,
  readSampledHistory,
  wandbClient,
  WandbError,
} from '../../src/wandb/index.ts';

const KEY = 'local-0123456789abcdef0123456789abcdef01234567';
const PATH = { entity: 'octo-team', project: 'vertex-runs', runId: 'abc12345' };
let wandb: WandbEmulator;

beforeAll(async () => {
  wandb = await startWandbEmulator({ apiKeys: [KEY], defaultEntity: 'octo-team' });
});
afterAll(async () => wandb?.close());
beforeEach(() => wandb.reset());

/** An address nothing listens on: a port just freed. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const client = (key = KEY) => wandbClient({ baseUrl: `${wandb.url}/`, apiKey: key });

test('Run: state and summary metrics, sent as the SDK sends them (basic auth api:KEY)', async () => {
  wandb.addRun('octo-team/vertex-runs/abc12345', {
    state: 'finished',
    summary: { loss: 0.25, acc: 0.9, diverged: Number.NaN, _runtime: 12, nested: { x: 1 } },
  });
  const run = await readRun(client(), PATH);
  expect(run?.state).toBe('finished');
  expect(run?.summary.loss).toBe(0.25);
  expect(run?.summary.diverged).toBeNaN();
  expect(run?.summary.nested).toEqual({ x: 1 });
  const [request] = wandb.requests;
  expect(request).toMatchObject({
    operationName: 'Run',
    variables: { entity: 'octo-team', project: 'vertex-runs', name: 'abc12345' },
    user: 'api',
    key: KEY,
    status: 200,
  });
  expect(request.errors).toBeUndefined();
});

test('Run: a run W&B does not have is undefined, not an error', async () => {
  expect(await readRun(client(), PATH)).toBeUndefined();
});

test('RunSampledHistory: one list per key, rows that hold the key, thinned to the samples', async () => {
  wandb.addRun('octo-team/vertex-runs/abc12345', trainingRun('abc12345', { steps: 200 }));
  const [loss, acc] = await readSampledHistory(client(), PATH, ['loss', 'val_accuracy'], 50);
  expect(loss).toHaveLength(50);
  expect(acc).toHaveLength(10); // logged every 20 steps
  expect(Object.keys(acc[0] as object).sort()).toEqual(['_step', 'val_accuracy']);
  const sent = wandb.requests.at(-1)!;
  expect(sent.operationName).toBe('RunSampledHistory');
  expect(sent.variables.specs).toEqual([
    JSON.stringify({ keys: ['_step', 'loss'], samples: 50 }),
    JSON.stringify({ keys: ['_step', 'val_accuracy'], samples: 50 }),
  ]);
});

test('GetDefaultEntity: the viewer entity', async () => {
  expect(await defaultEntity(client())).toBe('octo-team');
});

test('a refused key is a `refused` WandbError that never quotes the key', async () => {
  const err = await readRun(client('wrong-key'), PATH).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WandbError);
  expect((err as WandbError).failure).toBe('refused');
  expect((err as WandbError).status).toBe(401);
  expect((err as WandbError).transient).toBe(false);
  expect(String((err as Error).message)).not.toContain('wrong-key');
});

test('503 is transient; an unreachable server is transient and says why', async () => {
  wandb.failNext(503);
  const unavailable = await readRun(client(), PATH).catch((e: unknown) => e);
  expect((unavailable as WandbError).failure).toBe('unavailable');
  expect((unavailable as WandbError).transient).toBe(true);
  const closed = wandbClient({ baseUrl: await closedPortUrl(), apiKey: KEY });
  const unreachable = await readRun(closed, PATH).catch((e: unknown) => e);
  expect((unreachable as WandbError).failure).toBe('unreachable');
  expect((unreachable as Error).message).toMatch(/ECONNREFUSED/);
});

test('the stand-in reports an unknown field as a GraphQL error, as W&B does', async () => {
  const err = await client()
    .request(
      'Run',
      'query Run { project(name: "p", entityName: "e") { run(name: "r") { bogusField } } }',
    )
    .catch((e: unknown) => e);
  expect((err as WandbError).failure).toBe('http');
  expect((err as Error).message).toMatch(/Cannot query field "bogusField" on type "Run"/);
});

test("the stand-in answers the SDK's Runs query: filters as JSON text, order -created_at, pages", async () => {
  for (const [name, createdAt] of [
    ['r1', '2026-01-01T00:00:00Z'],
    ['r2', '2026-01-02T00:00:00Z'],
    ['r3', '2026-01-03T00:00:00Z'],
  ])
    wandb.addRun(`octo-team/vertex-runs/${name}`, { createdAt });
  const query = `query Runs($project: String!, $entity: String!, $cursor: String, $perPage: Int = 50, $order: String, $filters: JSONString) {
    project(name: $project, entityName: $entity) {
      runCount(filters: $filters)
      runs(filters: $filters, after: $cursor, first: $perPage, order: $order) {
        edges { node { name state } cursor }
        pageInfo { endCursor hasNextPage }
      }
    }
  }`;
  type Page = {
    project: {
      runCount: number;
      runs: {
        edges: { node: { name: string } }[];
        pageInfo: { endCursor: string; hasNextPage: boolean };
      };
    };
  };
  const filters = JSON.stringify({ name: { $in: ['r1', 'r2', 'r3'] } });
  const first = await client().request<Page>('Runs', query, {
    entity: 'octo-team',
    project: 'vertex-runs',
    perPage: 2,
    order: '-created_at',
    filters,
  });
  expect(first.project.runCount).toBe(3);
  expect(first.project.runs.edges.map((e) => e.node.name)).toEqual(['r3', 'r2']);
  expect(first.project.runs.pageInfo.hasNextPage).toBe(true);
  const second = await client().request<Page>('Runs', query, {
    entity: 'octo-team',
    project: 'vertex-runs',
    perPage: 2,
    order: '-created_at',
    filters,
    cursor: first.project.runs.pageInfo.endCursor,
  });
  expect(second.project.runs.edges.map((e) => e.node.name)).toEqual(['r1']);
});
