// A tiny HTTP helper shared by the OIDC, STS and IAM Credentials stand-ins: loopback only,
// every request recorded (method, path, headers, body, time) so tests can count and inspect.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerOf, bodyOf, listenLoopback } from '../shared/http.ts';

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
  const listener = (req: IncomingMessage, res: ServerResponse) =>
    void bodyOf(req).then(
      (body) => {
        const recorded: RecordedRequest = {
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers: req.headers,
          body: body.toString('utf8'),
          time: Date.now(),
        };
        requests.push(recorded);
        Promise.resolve()
          .then(() => handler(recorded))
          .catch((e: unknown) => ({
            status: 500,
            body: { error: 'internal', message: String(e) },
          }))
          .then((reply) => {
            recorded.status = reply.status;
            res.writeHead(reply.status, {
              'content-type': 'application/json; charset=utf-8',
              ...extraHeaders,
            });
            res.end(JSON.stringify(reply.body));
          });
      },
      () => res.destroy(),
    );
  const server = await listenLoopback(listener, { port });
  return { url: server.url, requests, close: () => server.close() };
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
  return bearerOf(req.headers);
}
