// The endpoint inputs of the REST services (`storage-endpoint`, `iam-endpoint`): the same forms
// as `vertex-endpoint`. Pure: the input's text in, a base URL and whether credentials go with
// it out, or a located input error.
import { UserError } from './errors.ts';
import { quoted } from './quote.ts';

export interface HttpEndpoint {
  /** `https://HOST[:PORT]` or `http://HOST:PORT`, no trailing slash. */
  baseUrl: string;
  /** true: TLS, with the credentials' bearer token. false: plaintext, no credentials sent. */
  tls: boolean;
  /** Whether the value came from the input rather than the service's default. */
  custom: boolean;
}

const HOSTNAME =
  /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;

function invalid(input: string, value: string, why: string): UserError {
  const message =
    `${input} ${quoted(value)} is not valid: ${why}. ` +
    'Use HOST[:PORT] or https://HOST[:PORT] for TLS, or http://HOST:PORT for a plaintext local server.';
  return new UserError('inputs', message, [{ path: input, message }]);
}

/** Where an endpoint input points: host (IPv6 in brackets), port, and the transport. */
export interface EndpointAddress {
  host: string;
  port: number;
  /** true: TLS with the credentials' bearer token. false: plaintext, no credentials sent. */
  tls: boolean;
}

/**
 * Parses any endpoint input (`vertex-endpoint`, `logging-endpoint`, `storage-endpoint`, ...):
 * HOST[:PORT] or https://HOST[:PORT] for TLS, http://HOST:PORT for plaintext.
 */
export function parseEndpointInput(input: string, raw: string): EndpointAddress {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(raw)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https')
    throw invalid(input, raw, `the scheme ${quoted(`${scheme}://`)} is not supported`);
  const tls = scheme !== 'http';
  const rest = scheme === undefined ? raw : raw.slice(scheme.length + 3);
  const authority = rest.endsWith('/') ? rest.slice(0, -1) : rest;
  if (/[/?#]/.test(authority))
    throw invalid(input, raw, 'it must not contain a path, query or fragment');
  if (authority.includes('@')) throw invalid(input, raw, 'it must not contain user information');
  const m = /^(\[[^\]]*\]|[^:]*)(?::([^:]*))?$/.exec(authority);
  if (!m) throw invalid(input, raw, 'the host and port cannot be told apart');
  const [, host, portText] = m;
  if (!host || !(HOSTNAME.test(host) || IPV6.test(host)))
    throw invalid(input, raw, `${quoted(host)} is not a host name`);
  let port = tls ? 443 : 80;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535)
      throw invalid(input, raw, `${quoted(portText)} is not a port number`);
  }
  if (!tls && portText === undefined)
    throw invalid(input, raw, 'a plaintext endpoint needs an explicit port');
  return { host, port, tls };
}

/** Parses an endpoint input of a REST service; without a value, `https://{defaultHost}`. */
export function resolveHttpEndpoint(
  input: string,
  value: string | undefined,
  defaultHost: string,
): HttpEndpoint {
  const raw = value?.trim();
  if (!raw) return { baseUrl: `https://${defaultHost}`, tls: true, custom: false };
  const { host, port, tls } = parseEndpointInput(input, raw);
  const explicitPort = /:\d+\/?$/.test(raw) ? `:${port}` : '';
  return { baseUrl: `${tls ? 'https' : 'http'}://${host}${explicitPort}`, tls, custom: true };
}
