// A W&B API stand-in: `POST /graphql` answered by graphql-js over the schema the wandb SDK's
// public API reads runs with (schema.ts), with HTTP basic auth `api:KEY` checked as W&B does
// (401 without an accepted key). Tests seed runs, or let `resolveRun` make them on demand, and
// read back every request. `startWandbEmulator` runs in-process; server.ts wraps it as a command.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { graphql } from 'graphql';
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
  const requests: WandbRequest[] = [];
  const failures: number[] = [];

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      let text = '';
      for await (const chunk of req) text += chunk;
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method === 'GET' && path === '/health') return reply(res, 200, { ok: true });
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
        rootValue: rootValue(store, options.defaultEntity),
      });
      const errors = result.errors?.map((e) => ({ message: e.message }));
      // GraphQL-over-HTTP: a request that did not validate has no data, and a 400.
      send(result.data === undefined ? 400 : 200, {
        ...(result.data !== undefined ? { data: result.data } : {}),
        ...(errors ? { errors } : {}),
      } as { errors?: { message: string }[] });
    })().catch((err: unknown) => reply(res, 500, { errors: [{ message: String(err) }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    addRun: (path, seed) => void store.add(path, seed),
    failNext: (status, count = 1) => failures.push(...Array<number>(count).fill(status)),
    reset() {
      store.clear();
      requests.length = 0;
      failures.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
