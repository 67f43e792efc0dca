// A small Docker Registry HTTP API v2 client over fetch: manifest HEAD (does a tag exist, and
// its digest) and retagging (GET a manifest, PUT it under another tag). Auth follows the 401
// challenge as Docker does: Basic with oauth2accesstoken:<access token>, or Bearer from the
// challenge's token realm with the same credentials (Artifact Registry).
import { UserError } from '../core/errors.ts';
import { parseWwwAuthenticate, tokenUrl } from '../core/image/auth-challenge.ts';

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export const REGISTRY_USER = 'oauth2accesstoken';

export interface RegistryClientOptions {
  host: string;
  repository: string;
  getAccessToken(): Promise<string>;
  signal?: AbortSignal;
}

export interface ManifestHead {
  digest: string;
  mediaType: string;
}

/** Loopback registries speak plain HTTP (Docker treats 127.0.0.0/8 and localhost as insecure). */
export function registryBaseUrl(host: string): string {
  const hostname = host.replace(/:[0-9]+$/, '').replace(/^\[|\]$/g, '');
  const loopback = hostname === 'localhost' || /^127\./.test(hostname) || hostname === '::1';
  return `${loopback ? 'http' : 'https'}://${host}`;
}

export function credentialsHint(host: string): string {
  return (
    `Check that the service account has the Artifact Registry Writer role ` +
    `(roles/artifactregistry.writer) on the repository, that the repository in the registry input ` +
    `exists (REGION-docker.pkg.dev/PROJECT/REPO/IMAGE), and that ${host} accepts ` +
    `user ${REGISTRY_USER} with a Google access token`
  );
}

export class RegistryClient {
  readonly host: string;
  readonly repository: string;
  private readonly getAccessToken: () => Promise<string>;
  private readonly signal?: AbortSignal;
  protected readonly base: string;
  /** Authorization header values by scope, reused across requests. */
  private readonly authByScope = new Map<string, string>();

  constructor(opts: RegistryClientOptions) {
    this.host = opts.host;
    this.repository = opts.repository;
    this.getAccessToken = opts.getAccessToken;
    this.signal = opts.signal;
    this.base = registryBaseUrl(opts.host);
  }

  private manifestUrl(reference: string): string {
    return `${this.base}/v2/${this.repository}/manifests/${encodeURIComponent(reference)}`;
  }

  /** HEAD the manifest for a tag or digest; undefined when the registry does not have it. */
  async headManifest(reference: string): Promise<ManifestHead | undefined> {
    const res = await this.request('HEAD', this.manifestUrl(reference), 'pull', {
      Accept: MANIFEST_ACCEPT,
    });
    if (res.status === 404) return undefined;
    this.check(res, `HEAD manifest ${reference}`);
    const digest = res.headers.get('docker-content-digest');
    if (!digest || !/^sha256:[0-9a-f]{64}$/.test(digest)) {
      throw new UserError(
        'build',
        `registry ${this.host} answered HEAD ${this.repository}:${reference} without a Docker-Content-Digest`,
      );
    }
    return { digest, mediaType: res.headers.get('content-type') ?? '' };
  }

  /** Point `tag` at the manifest `reference` already names, without pulling any layer. */
  async tagManifest(reference: string, tag: string): Promise<string> {
    const got = await this.request('GET', this.manifestUrl(reference), 'pull,push', {
      Accept: MANIFEST_ACCEPT,
    });
    this.check(got, `GET manifest ${reference}`);
    const body = Buffer.from(await got.arrayBuffer());
    const put = await this.request(
      'PUT',
      this.manifestUrl(tag),
      'pull,push',
      {
        'Content-Type':
          got.headers.get('content-type') ?? 'application/vnd.docker.distribution.manifest.v2+json',
      },
      body,
    );
    this.check(put, `PUT manifest ${tag}`);
    return put.headers.get('docker-content-digest') ?? '';
  }

  protected check(res: Response, what: string): void {
    if (res.ok) return;
    if (res.status === 401) {
      throw new UserError(
        'build',
        `registry ${this.host} rejected the credentials for ${this.repository} (${what}: HTTP 401). ` +
          credentialsHint(this.host),
      );
    }
    if (res.status === 403) {
      throw new UserError(
        'build',
        `registry ${this.host} denied access to ${this.repository} (${what}: HTTP 403). ` +
          credentialsHint(this.host),
      );
    }
    throw new UserError('build', `registry ${this.host}: ${what} failed with HTTP ${res.status}`);
  }

  /** A streamed `body` is sent once: its scope must be authorized by an earlier request. */
  protected async request(
    method: string,
    url: string,
    actions: string,
    headers: Record<string, string>,
    body?: Buffer | ReadableStream<Uint8Array>,
  ): Promise<Response> {
    const scope = `repository:${this.repository}:${actions}`;
    const payload =
      body === undefined || body instanceof ReadableStream
        ? { body, ...(body ? { duplex: 'half' } : {}) }
        : { body: new Uint8Array(body) };
    const send = (auth?: string) =>
      this.fetch(url, {
        method,
        headers: auth ? { ...headers, Authorization: auth } : headers,
        ...payload,
      } as RequestInit);
    const cached = this.authByScope.get(scope);
    let res = await send(cached);
    if (res.status !== 401) return res;
    await res.body?.cancel();
    const auth = await this.authorize(res.headers.get('www-authenticate') ?? '', scope);
    if (auth === undefined) return res;
    this.authByScope.set(scope, auth);
    res = await send(auth);
    return res;
  }

  /** Answer a 401 challenge: the Authorization header value to retry with. */
  private async authorize(header: string, scope: string): Promise<string | undefined> {
    const challenges = parseWwwAuthenticate(header);
    const token = await this.getAccessToken();
    const basic = 'Basic ' + Buffer.from(`${REGISTRY_USER}:${token}`).toString('base64');
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    if (bearer) {
      const url = tokenUrl(bearer, scope);
      if (url === undefined)
        throw new UserError('build', `registry ${this.host}: Bearer challenge without a realm`);
      const res = await this.fetch(url, { headers: { Authorization: basic } });
      if (res.status === 401 || res.status === 403) {
        await res.body?.cancel();
        throw new UserError(
          'build',
          `registry ${this.host} token service refused the credentials for ${this.repository} ` +
            `(HTTP ${res.status}). ` +
            credentialsHint(this.host),
        );
      }
      if (!res.ok)
        throw new UserError('build', `registry ${this.host} token service: HTTP ${res.status}`);
      const json = (await res.json()) as { token?: string; access_token?: string };
      const t = json.token ?? json.access_token;
      if (!t) throw new UserError('build', `registry ${this.host} token service returned no token`);
      return `Bearer ${t}`;
    }
    if (challenges.some((c) => c.scheme === 'basic')) return basic;
    return undefined;
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: this.signal, redirect: 'follow' });
    } catch (err) {
      if (this.signal?.aborted) throw err;
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new UserError(
        'build',
        `cannot reach registry ${this.host} (${new URL(url).origin}): ${cause?.code ?? cause?.message ?? String(err)}`,
      );
    }
  }
}
