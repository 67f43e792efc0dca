// HTTP plumbing of the emulators that serve a JSON API on loopback (IAM, Cloud Storage, the
// auth stand-ins, W&B, GitHub): a server listening with or without TLS, a request's body, its
// bearer token, and Google's error JSON.

import {
  createServer as createHttpServer,
  type IncomingMessage,
  type RequestListener,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TlsPair } from './grpc.ts';

export interface LoopbackServer {
  /** `http://127.0.0.1:PORT`, or https with TLS. */
  url: string;
  /** Drops open connections, then stops listening. */
  close(): Promise<void>;
}

/** Serves `listener` on 127.0.0.1 (`port` 0, the default, picks a free one). */
export async function listenLoopback(
  listener: RequestListener,
  options: { tls?: TlsPair; port?: number } = {},
): Promise<LoopbackServer> {
  const { tls } = options;
  const server = tls
    ? createHttpsServer({ cert: tls.cert, key: tls.key }, listener)
    : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The whole body of a request. */
export async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerOf(
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  const value = headers.authorization;
  const header = Array.isArray(value) ? value[0] : value;
  return /^bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
}

/** Runs `send` now, or `delayMs` later (an emulated network's latency). */
export function sendAfter(delayMs: number, send: () => void): void {
  if (delayMs > 0) setTimeout(send, delayMs);
  else send();
}

/** Google's JSON error (a google.rpc.Status) as a status and body; `details` when given. */
export function googleStatusError(
  code: number,
  status: string,
  message: string,
  details?: unknown[],
): { status: number; body: unknown } {
  return { status: code, body: { error: { code, message, status, ...(details && { details }) } } };
}
