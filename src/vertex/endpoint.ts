// Where the JobService lives and how to talk to it. Pure: turns the region, universe and the
// `vertex-endpoint` input into a host, a port and a transport, or a located input error.

import { UserError } from '../core/errors.ts';
import { parseEndpointInput } from '../core/http-endpoint.ts';
import { quoted } from '../core/quote.ts';

export interface VertexEndpoint {
  host: string;
  port: number;
  /** true: TLS with the credentials' bearer token. false: plaintext gRPC, no credentials sent. */
  tls: boolean;
}

const REGION = /^[a-z][a-z0-9-]*[a-z0-9]$/;
const UNIVERSE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/** The regional default: `{region}-aiplatform.{universe}`, `aiplatform.{universe}` for `global`. */
export function defaultVertexHost(region: string, universe = 'googleapis.com'): string {
  if (!REGION.test(region)) {
    const message = `region ${quoted(region)} is not a Vertex AI location name such as us-central1.`;
    throw new UserError('inputs', message, [{ path: 'region', message }]);
  }
  if (!UNIVERSE.test(universe)) {
    const message = `universe ${quoted(universe)} is not a domain name such as googleapis.com.`;
    throw new UserError('inputs', message, [{ path: 'universe', message }]);
  }
  return region === 'global' ? `aiplatform.${universe}` : `${region}-aiplatform.${universe}`;
}

export function resolveVertexEndpoint(opts: {
  region: string;
  endpoint?: string;
  universe?: string;
}): VertexEndpoint {
  const raw = opts.endpoint?.trim();
  if (!raw) return { host: defaultVertexHost(opts.region, opts.universe), port: 443, tls: true };
  return parseEndpoint(raw, 'vertex-endpoint');
}

/** An endpoint input (`vertex-endpoint`, `logging-endpoint`, ...) as host, port and transport. */
export function parseEndpoint(raw: string, input: string): VertexEndpoint {
  return parseEndpointInput(input, raw);
}
