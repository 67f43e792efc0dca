// What the emulators' command-line entries (each emulator's server.ts) share: the options of
// a gRPC emulator, TLS from certificate files, and serving until SIGINT/SIGTERM after one JSON
// line that says where.

import { readFileSync } from 'node:fs';
import type { TlsPair } from './grpc.ts';

/** parseArgs options every gRPC emulator takes (Vertex AI, Cloud Logging). */
export const GRPC_CLI_OPTIONS = {
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '0' },
  'admin-port': { type: 'string', default: '0' },
  'tick-ms': { type: 'string', default: '1000' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'require-token': { type: 'boolean' },
  'tokens-file': { type: 'string' },
  help: { type: 'boolean' },
} as const;

export interface GrpcCliValues {
  host: string;
  port: string;
  'admin-port': string;
  'tick-ms': string;
  'tls-cert'?: string;
  'tls-key'?: string;
  'require-token'?: boolean;
  'tokens-file'?: string;
}

export interface GrpcCliSettings {
  host: string;
  port: number;
  adminPort: number;
  tickMs: number;
  tls?: TlsPair;
  requireToken?: boolean;
  /** From the tokens file, one a line: tokens never come from argv. */
  acceptedTokens: string[];
}

export function portOf(value: string | undefined, flag: string): number {
  const n = Number(value ?? '0');
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag} must be a port number`);
  return n;
}

/** The certificate and key files' contents, when both are given. */
export function tlsFromFiles(
  cert: string | undefined,
  key: string | undefined,
): TlsPair | undefined {
  return cert && key ? { cert: readFileSync(cert), key: readFileSync(key) } : undefined;
}

/** GRPC_CLI_OPTIONS' values, checked and read. */
export function grpcCliSettings(values: GrpcCliValues): GrpcCliSettings {
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) {
    throw new Error('--tls-cert and --tls-key go together');
  }
  const tickMs = Number(values['tick-ms']);
  if (!(tickMs > 0)) throw new Error('--tick-ms must be a positive number of milliseconds');
  const tokensFile = values['tokens-file'];
  return {
    host: values.host,
    port: portOf(values.port, '--port'),
    adminPort: portOf(values['admin-port'], '--admin-port'),
    tickMs,
    tls: tlsFromFiles(values['tls-cert'], values['tls-key']),
    requireToken: values['require-token'],
    acceptedTokens: tokensFile
      ? readFileSync(tokensFile, 'utf8')
          .split('\n')
          .map((t) => t.trim())
          .filter(Boolean)
      : [],
  };
}

/** Prints `announce` as one JSON line, then serves until SIGINT/SIGTERM stops it (exit 0). */
export function serveUntilSignal(announce: unknown, stop: () => Promise<void>): void {
  process.stdout.write(JSON.stringify(announce) + '\n');
  const exit = (): void => void stop().then(() => process.exit(0));
  process.once('SIGINT', exit);
  process.once('SIGTERM', exit);
}

/** Runs a command; a failure prints `name: message` and the usage, and exits 2. */
export function runCli(name: string, usage: string, main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    console.error(`${name}: ${(e as Error).message}\n${usage}`);
    process.exit(2);
  });
}
