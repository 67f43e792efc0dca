// The connection to Cloud Logging: the generated LoggingServiceV2Client of
// @google-cloud/logging-api (the client @google-cloud/logging itself is built on), loaded only
// when logs are read, and handed the subset of its protos that reading needs
// (scripts/gen-logging-protos.ts).

import type { AuthClient } from 'google-auth-library';
import type { LoggingServiceV2Client } from '@google-cloud/logging-api/build/src/v2/logging_service_v2_client.js';
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

function isLoggingProtos(json: unknown): boolean {
  const nested = (o: unknown, key: string) =>
    (o as { nested?: Record<string, unknown> } | undefined)?.nested?.[key];
  return nested(nested(json, 'google'), 'logging') !== undefined;
}

export async function connectLogging(opts: LoggingConnectOptions): Promise<LoggingConnection> {
  const endpoint = resolveLoggingEndpoint(opts);
  const [{ LoggingServiceV2Client }, grpc, gax, protosJson] = await Promise.all([
    import('@google-cloud/logging-api/build/src/v2/logging_service_v2_client.js'),
    import('@grpc/grpc-js'),
    import('google-gax'),
    import('./logging-protos.generated.json', { with: { type: 'json' } }),
  ]);
  type ProtoJson = Parameters<InstanceType<typeof gax.GrpcClient>['loadProtoJSON']>[0];
  const protos = protosJson.default as unknown as ProtoJson;
  const subsetFor = <T>(json: T): T => (isLoggingProtos(json) ? (protos as T) : json);
  class SubsetGrpcClient extends gax.GrpcClient {
    override loadProtoJSON(json: ProtoJson, ignoreCache = false) {
      return super.loadProtoJSON(subsetFor(json), ignoreCache);
    }
  }
  const gaxInstance = { ...gax, GrpcClient: SubsetGrpcClient } as unknown as typeof gax;
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
    gaxInstance,
  );
  return {
    client,
    endpoint,
    async close() {
      await client.close();
    },
  };
}
