// An emulator of a Google gRPC service as tests and demos run it: the service on a gRPC
// server (plaintext or TLS) and its JSON admin endpoint beside it, with POST /reset.

import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { startAdminServer, type AdminRoutes } from './admin.ts';
import { hostForUrl, startGrpcServer, type TlsPair } from './grpc.ts';

/** Where the emulator listens, as its options say. */
export interface GrpcEmulatorPlace {
  /** Default 127.0.0.1. */
  host?: string;
  /** gRPC port; 0 (default) picks a free one. */
  port?: number;
  /** Admin HTTP port; 0 (default) picks a free one. */
  adminPort?: number;
  tls?: TlsPair;
}

/** What it serves. */
export interface GrpcEmulatorParts {
  service: ServiceDefinition;
  handlers: UntypedServiceImplementation;
  /** The admin routes besides GET /health and POST /reset. */
  routes: AdminRoutes;
  reset(): void;
}

export interface ServedGrpcEmulator {
  /** `host:port` of the gRPC service. */
  grpcAddress: string;
  adminUrl: string;
  tls: boolean;
  /** Closes the admin endpoint, then drops the gRPC server without draining its calls. */
  stop(): Promise<void>;
}

export async function serveGrpcEmulator(
  place: GrpcEmulatorPlace,
  { service, handlers, routes, reset }: GrpcEmulatorParts,
): Promise<ServedGrpcEmulator> {
  const host = place.host ?? '127.0.0.1';
  const { server, port } = await startGrpcServer(service, handlers, { ...place, host });
  const admin = await startAdminServer(host, place.adminPort ?? 0, {
    get: routes.get,
    post: {
      ...routes.post,
      '/reset': () => {
        reset();
        return { ok: true };
      },
    },
  });
  return {
    grpcAddress: `${hostForUrl(host)}:${port}`,
    adminUrl: admin.url,
    tls: place.tls !== undefined,
    async stop() {
      await admin.close();
      // Tests and demos want a prompt stop, not a graceful drain of in-flight calls.
      server.forceShutdown();
    },
  };
}
