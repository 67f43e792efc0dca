// Where Cloud Logging lives: `logging.{universe}` over TLS, or the `logging-endpoint` input in
// the same forms as `vertex-endpoint` (http://HOST:PORT: plaintext, no credentials).

import { resolveGrpcEndpoint, type GrpcEndpoint } from '../grpc/endpoint.ts';

export type LoggingEndpoint = GrpcEndpoint;

export function resolveLoggingEndpoint(opts: {
  endpoint?: string;
  universe?: string;
}): LoggingEndpoint {
  return resolveGrpcEndpoint(
    'logging-endpoint',
    opts.endpoint,
    () => `logging.${opts.universe || 'googleapis.com'}`,
  );
}
