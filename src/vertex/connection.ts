// The connection to Vertex AI: the v1 JobServiceClient (loaded only when a command actually
// talks to Vertex, so `plan` and dry runs never pay for it) and the protobuf types used to
// turn the proto3-JSON request into what the client sends.

import type { AuthClient } from 'google-auth-library';
import type { JobServiceClient } from '@google-cloud/aiplatform/build/src/v1/job_service_client.js';
import type { CreateCustomJobRequestJson } from '../core/request.ts';
import { UserError, errorMessage } from '../core/errors.ts';
import { resolveVertexEndpoint, type VertexEndpoint } from './endpoint.ts';

/** Multiplies every wait of polling and retrying; for tests against a fast emulator only. */
export const TIME_SCALE_ENV = 'WB_VERTEX_LAUNCH_TIME_SCALE';

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

function isAiplatformProtos(json: unknown): boolean {
  const nested = (o: unknown, key: string) =>
    (o as { nested?: Record<string, unknown> } | undefined)?.nested?.[key];
  return nested(nested(nested(json, 'google'), 'cloud'), 'aiplatform') !== undefined;
}

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
  // The client parses its protos when constructed. It is handed the subset it needs for the
  // CustomJob calls (scripts/gen-vertex-protos.ts) instead of the package's whole 4 MB file:
  // the difference is most of the action's start-up time. In the bundles the package's file
  // is not even loaded: scripts/bundle.mjs leaves a stub in its place, which this swap
  // recognises like the real file.
  const protos = protosJson.default as unknown as Parameters<typeof gax.protobuf.Root.fromJSON>[0];
  type ProtoJson = Parameters<InstanceType<typeof gax.GrpcClient>['loadProtoJSON']>[0];
  // Only the aiplatform protos are swapped; the IAM and Locations mixins load their own.
  const subsetFor = <T>(json: T): T => (isAiplatformProtos(json) ? (protos as T) : json);
  class SubsetGrpcClient extends gax.GrpcClient {
    override loadProtoJSON(json: ProtoJson, ignoreCache = false) {
      return super.loadProtoJSON(subsetFor(json), ignoreCache);
    }
  }
  // The client also parses its protos on error paths (to decode status details).
  const SubsetRoot = new Proxy(gax.protobuf.Root, {
    get: (target, key, receiver) =>
      key === 'fromJSON'
        ? (json: ProtoJson, root?: InstanceType<typeof gax.protobuf.Root>) =>
            target.fromJSON(subsetFor(json) as never, root)
        : Reflect.get(target, key, receiver),
  });
  const gaxInstance = {
    ...gax,
    GrpcClient: SubsetGrpcClient,
    protobufFromJSON: (json: Parameters<typeof gax.protobufFromJSON>[0]) =>
      gax.protobufFromJSON(subsetFor(json)),
    protobuf: { ...gax.protobuf, Root: SubsetRoot },
  } as unknown as typeof gax;

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
    gaxInstance,
  );

  const root = gax.protobuf.Root.fromJSON(protos);
  const requestType = root.lookupType('google.cloud.aiplatform.v1.CreateCustomJobRequest');

  return {
    region: opts.region,
    endpoint,
    client,
    timeScale,
    toClientRequest(request) {
      // proto3 JSON ("3600s", enum names, int64 strings) -> message -> plain object with
      // enums by name and int64 as strings, which the client's serializer accepts as is.
      let message;
      try {
        message = serializer.fromProto3JSON(
          requestType,
          request as unknown as Parameters<typeof serializer.fromProto3JSON>[1],
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
    },
    async close() {
      await client.close();
    },
  };
}
