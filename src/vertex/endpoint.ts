// Where the JobService lives and how to talk to it. Pure: turns the region, universe and the
// `vertex-endpoint` input into a host, a port and a transport, or a located input error.

import { UserError } from '../core/errors.ts';
import { quoted } from '../core/quote.ts';
import { resolveGrpcEndpoint, type GrpcEndpoint } from '../grpc/endpoint.ts';

export type VertexEndpoint = GrpcEndpoint;

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
  return resolveGrpcEndpoint('vertex-endpoint', opts.endpoint, () =>
    defaultVertexHost(opts.region, opts.universe),
  );
}
