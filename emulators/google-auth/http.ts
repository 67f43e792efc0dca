// A tiny HTTP helper shared by the OIDC, STS and IAM Credentials stand-ins: loopback only,
// every request recorded (method, path, headers, body, time) so tests can count and inspect.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Date.now() when it arrived. */
  time: number;
  /** The status the server answered with. */
  status?: number;
}

export interface Reply {
  status: number;
  body: unknown;
}

export type Handler = (req: RecordedRequest) => Reply | Promise<Reply>;

export interface RunningServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startJsonServer(
  handler: Handler,
  port = 0,
  extraHeaders: Record<string, string> = {},
): Promise<RunningServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        time: Date.now(),
      };
      requests.push(recorded);
      Promise.resolve()
        .then(() => handler(recorded))
        .catch((e: unknown) => ({ status: 500, body: { error: 'internal', message: String(e) } }))
        .then((reply) => {
          recorded.status = reply.status;
          res.writeHead(reply.status, {
            'content-type': 'application/json; charset=utf-8',
            ...extraHeaders,
          });
          res.end(JSON.stringify(reply.body));
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Parses a form or JSON request body into a flat string map. */
export function parseBody(req: RecordedRequest): Record<string, string> {
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('application/json')) {
    const parsed = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
    return Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
  }
  return Object.fromEntries(new URLSearchParams(req.body));
}

export function bearerToken(req: RecordedRequest): string | undefined {
  const value = req.headers['authorization'];
  const header = Array.isArray(value) ? value[0] : value;
  const m = /^bearer\s+(\S+)$/i.exec(header ?? '');
  return m?.[1];
}
