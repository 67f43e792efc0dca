// The small JSON admin endpoint beside an emulator's gRPC server, for tests and demos: GET
// /health, then a route table. A route's return value is the 200 answer; a route that throws
// answers 400 with the message; an unknown route 404.

import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostForUrl } from './grpc.ts';

export type JsonBody = Record<string, unknown>;

export interface AdminRoutes {
  /** By path: the answer to a GET. */
  get: Record<string, () => unknown>;
  /** By path: the answer to a POST with its JSON body (`{}` when empty). */
  post: Record<string, (body: JsonBody) => unknown>;
}

export interface AdminServer {
  /** `http://HOST:PORT` */
  url: string;
  close(): Promise<void>;
}

export async function readJson(req: IncomingMessage): Promise<JsonBody> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body.trim() ? (JSON.parse(body) as JsonBody) : {};
}

async function answer(routes: AdminRoutes, req: IncomingMessage): Promise<[number, unknown]> {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const route = `${req.method} ${path}`;
  if (route === 'GET /health') return [200, { ok: true }];
  if (req.method === 'GET' && Object.hasOwn(routes.get, path)) return [200, routes.get[path]()];
  if (req.method !== 'POST') return [404, { error: `no route ${route}` }];
  const body = await readJson(req);
  if (Object.hasOwn(routes.post, path)) return [200, routes.post[path](body)];
  return [404, { error: `no route ${route}` }];
}

export async function startAdminServer(
  host: string,
  port: number,
  routes: AdminRoutes,
): Promise<AdminServer> {
  const admin: HttpServer = createServer((req: IncomingMessage, res: ServerResponse) => {
    const reply = ([code, body]: [number, unknown]) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    answer(routes, req).then(reply, (e: unknown) => reply([400, { error: (e as Error).message }]));
  });
  await new Promise<void>((resolve, reject) => {
    admin.once('error', reject);
    admin.listen(port, host, () => resolve());
  });
  const bound = (admin.address() as AddressInfo).port;
  return {
    url: `http://${hostForUrl(host)}:${bound}`,
    async close() {
      admin.closeAllConnections();
      await new Promise<void>((resolve) => admin.close(() => resolve()));
    },
  };
}
