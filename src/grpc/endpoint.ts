// Where a Google gRPC service is reached: its endpoint input (`vertex-endpoint`,
// `logging-endpoint`) in the forms every endpoint input takes (src/core/http-endpoint.ts), or
// the service's default host over TLS.
import { parseEndpointInput, type EndpointAddress } from '../core/http-endpoint.ts';

/** Host, port and transport. tls false: plaintext gRPC, no credentials sent. */
export type GrpcEndpoint = EndpointAddress;

/** `defaultHost` is asked only when the input is empty, so its own checks apply only then. */
export function resolveGrpcEndpoint(
  input: string,
  value: string | undefined,
  defaultHost: () => string,
): GrpcEndpoint {
  const raw = value?.trim();
  if (raw) return parseEndpointInput(input, raw);
  return { host: defaultHost(), port: 443, tls: true };
}
