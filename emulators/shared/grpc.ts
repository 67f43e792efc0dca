// gRPC plumbing of the emulators that serve a Google service (Vertex AI, Cloud Logging): the
// service definition from the .proto files a client package ships, a server bound with or
// without TLS, the error a handler throws with its status code, and the caller's bearer token.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  loadPackageDefinition,
  Server,
  ServerCredentials,
  type Metadata,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { loadSync, type Options } from '@grpc/proto-loader';

/** PEM server certificate chain and key. */
export interface TlsPair {
  cert: Buffer | string;
  key: Buffer | string;
}

/**
 * The service `servicePath` (e.g. `google.logging.v2.LoggingServiceV2`) of `protoFile`, read
 * from the protos of `packages` (each keeps them in build/protos, beside build/src where its
 * main lives).
 */
export function loadProtoService(
  protoFile: string,
  packages: string[],
  servicePath: string,
  options: Options = {},
): ServiceDefinition {
  const require = createRequire(import.meta.url);
  const protosOf = (pkg: string) => join(dirname(require.resolve(pkg)), '..', 'protos');
  const definition = loadSync(protoFile, {
    includeDirs: packages.map(protosOf),
    keepCase: false,
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
    ...options,
  });
  let node: unknown = loadPackageDefinition(definition);
  for (const part of servicePath.split('.')) node = (node as Record<string, unknown>)[part];
  return (node as { service: ServiceDefinition }).service;
}

export interface GrpcServerOptions {
  host: string;
  /** 0 picks a free one. */
  port?: number;
  tls?: TlsPair;
}

/** A server for one service, bound and serving; `port` is the bound one. */
export async function startGrpcServer(
  service: ServiceDefinition,
  handlers: UntypedServiceImplementation,
  options: GrpcServerOptions,
): Promise<{ server: Server; port: number }> {
  const server = new Server();
  server.addService(service, handlers);
  const credentials = options.tls
    ? ServerCredentials.createSsl(null, [
        { cert_chain: Buffer.from(options.tls.cert), private_key: Buffer.from(options.tls.key) },
      ])
    : ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${options.host}:${options.port ?? 0}`, credentials, (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
  return { server, port };
}

/** A failure a handler answers with: the gRPC status code and its message. */
export class RpcError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

/** The token of an `authorization: Bearer <token>` metadata entry, or null. */
export function bearer(metadata: Metadata): string | null {
  const value = metadata.get('authorization')[0];
  if (typeof value !== 'string') return null;
  return /^Bearer\s+(.+)$/i.exec(value)?.[1] ?? null;
}

/** `host` as it stands in a URL or an address (IPv6 in brackets). */
export function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
