// The connection to Vertex AI: the v1 JobServiceClient (loaded only when a command actually
// talks to Vertex, so `plan` and dry runs never pay for it) and the protobuf types used to
// turn the proto3-JSON request into what the client sends.

import type { AuthClient } from 'google-auth-library';
import type { JobServiceClient } from '@google-cloud/aiplatform/build/src/v1/job_service_client.js';
import type { CreateCustomJobRequestJson } from '../core/request.ts';
import { UserError, errorMessage } from '../core/errors.ts';
import { resolveVertexEndpoint, type VertexEndpoint } from './endpoint.ts';
import { gaxWithProtoSubset } from './proto-subset.ts';
import { TIME_SCALE_ENV } from '../core/time-scale.ts';

export { TIME_SCALE_ENV };

export interface VertexConnection {
  close(): Promise<void>;
  readonly region: string;
  readonly endpoint: VertexEndpoint;
  readonly client: JobServiceClient;
  /** Factor in (0, 1] applied to poll and retry delays. 1 in production. */
  readonly timeScale: number;
  /** The CreateCustomJobRequest in the plain object form the client serializes. */
  toClientRequest(request: CreateCustomJobRequestJson): Record<string, unknown>;
}

export interface ConnectOptions {
  region: string;
  endpoint?: string;
  authClient?: AuthClient;
  projectId?: string;
  universe?: string;
  /** Overrides WB_VERTEX_LAUNCH_TIME_SCALE. */
  timeScale?: number;
}

function timeScaleFrom(value: number | string | undefined): number {
  if (value === undefined || value === '') return 1;
  const n = Number(value);
  if (!(n > 0 && n <= 1)) {
    throw new UserError(
      'inputs',
      `${TIME_SCALE_ENV} must be a number in (0, 1]; got "${String(value)}".`,
    );
  }
  return n;
}

/** The proto tree of the CustomJob calls (scripts/gen-vertex-protos.ts). */
const AIPLATFORM = ['google', 'cloud', 'aiplatform'] as const;

export async function connectVertex(opts: ConnectOptions): Promise<VertexConnection> {
  const endpoint = resolveVertexEndpoint(opts);
  const timeScale = timeScaleFrom(opts.timeScale ?? process.env[TIME_SCALE_ENV]);
  const universe = opts.universe || 'googleapis.com';

  // Loaded on first use, not at start-up: in the bundles these become lazily loaded chunks
  // (scripts/bundle.mjs gives each chunk the CommonJS shims google-gax needs).
  const [{ JobServiceClient }, grpc, gax, serializer, protosJson] = await Promise.all([
    import('@google-cloud/aiplatform/build/src/v1/job_service_client.js'),
    import('@grpc/grpc-js'),
    import('google-gax'),
    import('proto3-json-serializer'),
    import('./job-service-protos.generated.json', { with: { type: 'json' } }),
  ]);
  // Only the aiplatform protos are swapped; the IAM and Locations mixins load their own.
  const protos = protosJson.default as unknown as Parameters<typeof gax.protobuf.Root.fromJSON>[0];
  const client = new JobServiceClient(
    {
      apiEndpoint: endpoint.host,
      port: endpoint.port,
      universeDomain: universe,
      // A known project means google-auth-library never asks Resource Manager for one.
      ...(opts.projectId ? { projectId: opts.projectId } : {}),
      // Plaintext (a local emulator): no call credentials, so no token ever crosses the wire
      // unencrypted. TLS: the auth client's bearer token, roots from the system or
      // GRPC_DEFAULT_SSL_ROOTS_FILE_PATH.
      ...(endpoint.tls ? {} : { sslCreds: grpc.credentials.createInsecure() }),
      ...(opts.authClient ? { authClient: opts.authClient } : {}),
      fallback: false,
    },
    gaxWithProtoSubset(gax, protos, AIPLATFORM),
  );
  const requestType = gax.protobuf.Root.fromJSON(protos).lookupType(
    'google.cloud.aiplatform.v1.CreateCustomJobRequest',
  );

  return {
    region: opts.region,
    endpoint,
    client,
    timeScale,
    toClientRequest: (request) => clientRequest(serializer, requestType, request),
    async close() {
      await client.close();
    },
  };
}

type Serializer = typeof import('proto3-json-serializer');
type MessageType = Parameters<Serializer['fromProto3JSON']>[0];

/**
 * proto3 JSON ("3600s", enum names, int64 strings) -> message -> plain object with enums by
 * name and int64 as strings, which the client's serializer accepts as is.
 */
function clientRequest(
  serializer: Serializer,
  requestType: MessageType,
  request: CreateCustomJobRequestJson,
): Record<string, unknown> {
  let message;
  try {
    message = serializer.fromProto3JSON(
      requestType,
      request as unknown as Parameters<Serializer['fromProto3JSON']>[1],
    );
  } catch (e) {
    throw new UserError(
      'submit',
      `The CreateCustomJobRequest does not match the v1 API: ${errorMessage(e)}`,
    );
  }
  if (!message) throw new UserError('submit', 'The CreateCustomJobRequest is empty.');
  return requestType.toObject(message, {
    longs: String,
    enums: String,
    defaults: false,
  }) as Record<string, unknown>;
}
