// A W&B API stand-in: `POST /graphql` answered by graphql-js over the schema the wandb SDK's
// public API reads runs with (schema.ts), with HTTP basic auth `api:KEY` checked as W&B does
// (401 without an accepted key). Tests seed runs, or let `resolveRun` make them on demand, and
// read back every request. W&B Launch's part (queues, items, job artifacts) is seeded through
// `addQueue`, `enqueue` and `addArtifact`; artifact files are served at their `directUrl`
// without auth, as signed storage URLs are. `startWandbEmulator` runs in-process; server.ts
// wraps it as a command.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLoopback } from '../shared/http.ts';
import { setTimeout as delay } from 'node:timers/promises';
import { graphql } from 'graphql';
import { nextSequence } from '../shared/sequence.ts';
import { ArtifactStore, type ArtifactSeed } from './artifacts.ts';
import { QueueStore, type ItemSeed, type QueueSeed, type StoredItem } from './queues.ts';
import { rootValue } from './resolvers.ts';
import { wandbSchema } from './schema.ts';
import { RunStore, type RunSeed } from './store.ts';

export interface WandbRequest {
  operationName?: string;
  variables: Record<string, unknown>;
  /** The basic-auth user and password sent, if any. */
  user?: string;
  key?: string;
  status: number;
  errors?: string[];
  /** Drawn from the counter all stand-ins of this process share: orders calls across them. */
  seq: number;
  /** When it arrived (Date.now()). */
  at: number;
}

export interface WandbEmulatorOptions {
  /** Keys accepted as `api:KEY`. */
  apiKeys: string[];
  /** The `viewer { entity }` of every accepted key. */
  defaultEntity?: string;
  /** Makes runs that were never added, when asked for (e.g. for a job another stand-in ran). */
  resolveRun?: (entity: string, project: string, name: string) => RunSeed | undefined;
}

export interface WandbEmulator {
  /** `http://127.0.0.1:PORT`: the `wandb-base-url` input. */
  url: string;
  requests: WandbRequest[];
  addRun(path: string, seed?: RunSeed): void;
  /** The next `count` requests get this HTTP status (e.g. 503), whatever they ask. */
  failNext(status: number, count?: number): void;
  /** A W&B Launch queue `ENTITY/QUEUE` (in project model-registry) with its resource config. */
  addQueue(path: string, seed: QueueSeed): void;
  /** Pushes an item to the queue, as `wandb launch --queue` does; returns its id. */
  enqueue(path: string, seed: ItemSeed): string;
  /** The queue's items as they stand (state, run, failure). */
  queueItems(path: string): StoredItem[];
  /** The item's next ack is answered `success: false`: another agent acked it first. */
  loseAckRace(itemId: string): void;
  /** How long a popped item stays claimed without an ack before it is pending again. */
  setLeaseMs(ms: number): void;
  /** A new version of artifact `ENTITY/PROJECT/NAME` (a W&B Launch job: type `job`). */
  addArtifact(path: string, seed: ArtifactSeed): void;
  /** Artifact file downloads (their paths), apart from the GraphQL requests. */
  fileRequests: string[];
  /** Every answer (GraphQL or file) waits this long first, as a distant server would. */
  delayMs: number;
  reset(): void;
  close(): Promise<void>;
}

function basicAuth(header: string | undefined): { user: string; key: string } | undefined {
  const m = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), key: decoded.slice(colon + 1) };
}

export async function startWandbEmulator(options: WandbEmulatorOptions): Promise<WandbEmulator> {
  const schema = wandbSchema();
  const store = new RunStore();
  store.resolve = options.resolveRun;
  const queues = new QueueStore();
  const artifacts = new ArtifactStore();
  const requests: WandbRequest[] = [];
  const fileRequests: string[] = [];
  const failures: number[] = [];
  let baseUrl = '';
  const launch = {
    queues,
    artifacts,
    fileUrl: (id: string, name: string) =>
      `${baseUrl}/artifact-files/${id}/${encodeURIComponent(name)}`,
  };

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      let text = '';
      for await (const chunk of req) text += chunk;
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method === 'GET' && path === '/health') return reply(res, 200, { ok: true });
      if (emulator.delayMs > 0) await delay(emulator.delayMs);
      const file = /^\/artifact-files\/([^/]+)\//.exec(path);
      if (req.method === 'GET' && file) {
        fileRequests.push(path);
        const found = artifacts.file(file[1]);
        if (!found) return reply(res, 404, { error: 'no such file' });
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return res.end(found.content);
      }
      if (req.method !== 'POST' || path !== '/graphql') {
        return reply(res, 404, { errors: [{ message: `no route ${req.method} ${path}` }] });
      }
      let body: { query?: unknown; variables?: unknown; operationName?: unknown } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        // answered below as a GraphQL request error
      }
      const auth = basicAuth(req.headers.authorization);
      const record: WandbRequest = {
        operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
        variables: (body.variables ?? {}) as Record<string, unknown>,
        ...(auth ? { user: auth.user, key: auth.key } : {}),
        status: 200,
        seq: nextSequence(),
        at: Date.now(),
      };
      requests.push(record);
      const send = (status: number, payload: { errors?: { message: string }[] }) => {
        record.status = status;
        if (payload.errors) record.errors = payload.errors.map((e) => e.message);
        reply(res, status, payload);
      };
      if (failures.length > 0) {
        return send(failures.shift()!, { errors: [{ message: 'injected failure' }] });
      }
      if (!auth || auth.user !== 'api' || !options.apiKeys.includes(auth.key)) {
        return send(401, { errors: [{ message: 'user is not logged in' }] });
      }
      if (typeof body.query !== 'string') {
        return send(400, { errors: [{ message: 'Must provide query string.' }] });
      }
      const result = await graphql({
        schema,
        source: body.query,
        variableValues: record.variables,
        operationName: record.operationName,
        rootValue: rootValue(store, options.defaultEntity, launch),
      });
      const errors = result.errors?.map((e) => ({ message: e.message }));
      // GraphQL-over-HTTP: a request that did not validate has no data, and a 400.
      send(result.data === undefined ? 400 : 200, {
        ...(result.data !== undefined ? { data: result.data } : {}),
        ...(errors ? { errors } : {}),
      } as { errors?: { message: string }[] });
    })().catch((err: unknown) => reply(res, 500, { errors: [{ message: String(err) }] }));
  };
  const server = await listenLoopback(listener);
  baseUrl = server.url;
  const emulator: WandbEmulator = {
    url: baseUrl,
    requests,
    addRun: (path, seed) => void store.add(path, seed),
    failNext: (status, count = 1) => failures.push(...Array<number>(count).fill(status)),
    addQueue: (path, seed) => void queues.addQueue(path, seed),
    enqueue: (path, seed) => queues.enqueue(path, seed),
    queueItems: (path) => queues.itemsOf(path.split('/')[0], path.split('/')[1]),
    loseAckRace(itemId) {
      const item = queues.item(itemId);
      if (!item) throw new Error(`no item ${itemId}`);
      item.ackTakenElsewhere = true;
    },
    setLeaseMs: (ms) => void (queues.leaseMs = ms),
    addArtifact: (path, seed) => void artifacts.add(path, seed),
    fileRequests,
    delayMs: 0,
    reset() {
      store.clear();
      queues.clear();
      artifacts.clear();
      requests.length = 0;
      fileRequests.length = 0;
      failures.length = 0;
      emulator.delayMs = 0;
      queues.leaseMs = 60_000;
    },
    close: () => server.close(),
  };
  return emulator;
}
