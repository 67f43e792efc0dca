// The connection to Cloud Logging: the generated LoggingServiceV2Client of
// @google-cloud/logging-api (the client @google-cloud/logging itself is built on), loaded only
// when logs are read, and handed the subset of its protos that reading needs
// (scripts/gen-logging-protos.ts).

import type { AuthClient } from 'google-auth-library';
import type { LoggingServiceV2Client } from '@google-cloud/logging-api/build/src/v2/logging_service_v2_client.js';
import { gaxWithProtoSubset } from '../vertex/proto-subset.ts';
import { resolveLoggingEndpoint, type LoggingEndpoint } from './endpoint.ts';

export interface LoggingConnection {
  readonly client: LoggingServiceV2Client;
  readonly endpoint: LoggingEndpoint;
  close(): Promise<void>;
}

export interface LoggingConnectOptions {
  /** The `logging-endpoint` input; default `logging.{universe}`. */
  endpoint?: string;
  universe?: string;
  authClient?: AuthClient;
  projectId?: string;
}

/** The proto tree of the reading calls (scripts/gen-logging-protos.ts). */
const LOGGING = ['google', 'logging'] as const;

export async function connectLogging(opts: LoggingConnectOptions): Promise<LoggingConnection> {
  const endpoint = resolveLoggingEndpoint(opts);
  const [{ LoggingServiceV2Client }, grpc, gax, protosJson] = await Promise.all([
    import('@google-cloud/logging-api/build/src/v2/logging_service_v2_client.js'),
    import('@grpc/grpc-js'),
    import('google-gax'),
    import('./logging-protos.generated.json', { with: { type: 'json' } }),
  ]);
  const protos = protosJson.default as unknown;
  const client = new LoggingServiceV2Client(
    {
      apiEndpoint: endpoint.host,
      port: endpoint.port,
      universeDomain: opts.universe || 'googleapis.com',
      ...(opts.projectId ? { projectId: opts.projectId } : {}),
      // Plaintext (a local server): no call credentials, so no token crosses the wire in clear.
      ...(endpoint.tls ? {} : { sslCreds: grpc.credentials.createInsecure() }),
      ...(opts.authClient ? { authClient: opts.authClient } : {}),
      fallback: false,
    },
    gaxWithProtoSubset(gax, protos, LOGGING),
  );
  return {
    client,
    endpoint,
    async close() {
      await client.close();
    },
  };
}
