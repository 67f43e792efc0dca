// Where Cloud Logging lives: `logging.{universe}` over TLS, or the `logging-endpoint` input in
// the same forms as `vertex-endpoint` (http://HOST:PORT: plaintext, no credentials).

import { parseEndpoint, type VertexEndpoint } from '../vertex/endpoint.ts';

export type LoggingEndpoint = VertexEndpoint;

export function resolveLoggingEndpoint(opts: {
  endpoint?: string;
  universe?: string;
}): LoggingEndpoint {
  const raw = opts.endpoint?.trim();
  if (raw) return parseEndpoint(raw, 'logging-endpoint');
  return { host: `logging.${opts.universe || 'googleapis.com'}`, port: 443, tls: true };
}
