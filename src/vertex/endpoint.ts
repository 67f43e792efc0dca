// Where the JobService lives and how to talk to it. Pure: turns the region, universe and the
// `vertex-endpoint` input into a host, a port and a transport, or a located input error.

import { UserError } from '../core/errors.ts';

export interface VertexEndpoint {
  host: string;
  port: number;
  /** true: TLS with the credentials' bearer token. false: plaintext gRPC, no credentials sent. */
  tls: boolean;
}

const REGION = /^[a-z][a-z0-9-]*[a-z0-9]$/;
const UNIVERSE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
const HOSTNAME =
  /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;

function endpointErrorFor(value: string, why: string, input: string): UserError {
  const message =
    `${input} "${value}" is not valid: ${why}. ` +
    'Use HOST[:PORT] or https://HOST[:PORT] for TLS, or http://HOST:PORT for a plaintext local emulator.';
  return new UserError('inputs', message, [{ path: input, message }]);
}

/** The regional default: `{region}-aiplatform.{universe}`, `aiplatform.{universe}` for `global`. */
export function defaultVertexHost(region: string, universe = 'googleapis.com'): string {
  if (!REGION.test(region)) {
    const message = `region "${region}" is not a Vertex AI location name such as us-central1.`;
    throw new UserError('inputs', message, [{ path: 'region', message }]);
  }
  if (!UNIVERSE.test(universe)) {
    const message = `universe "${universe}" is not a domain name such as googleapis.com.`;
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
  const endpointError = (value: string, why: string) => endpointErrorFor(value, why, input);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(raw)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    throw endpointError(raw, `the scheme "${scheme}://" is not supported`);
  }
  const tls = scheme !== 'http';
  const rest = scheme === undefined ? raw : raw.slice(scheme.length + 3);
  const authority = rest.endsWith('/') ? rest.slice(0, -1) : rest;
  if (authority.includes('/') || authority.includes('?') || authority.includes('#')) {
    throw endpointError(raw, 'it must not contain a path, query or fragment');
  }
  if (authority.includes('@')) throw endpointError(raw, 'it must not contain user information');

  const m = /^(\[[^\]]*\]|[^:]*)(?::([^:]*))?$/.exec(authority);
  if (!m) throw endpointError(raw, 'the host and port cannot be told apart');
  const [, host, portText] = m;
  if (!host || !(HOSTNAME.test(host) || IPV6.test(host)))
    throw endpointError(raw, `"${host}" is not a host name`);
  let port = tls ? 443 : 80;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
      throw endpointError(raw, `"${portText}" is not a port number`);
    }
  }
  if (!tls && portText === undefined)
    throw endpointError(raw, 'a plaintext endpoint needs an explicit port');
  return { host, port, tls };
}

/** `host:port` as gRPC addresses it. */
export function endpointAddress(e: VertexEndpoint): string {
  return `${e.host}:${e.port}`;
}
