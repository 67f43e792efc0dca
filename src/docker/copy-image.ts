// Copying a pushed image, by digest, to the same image path in another region's registry
// (`{region}` in the `registry` input), so a fallback region pulls it from beside itself.
// Registry API v2 only: the manifest (and, for an index, each platform's manifest), then each
// blob the destination lacks, mounted from the source repository when both are on one host,
// else streamed through; a digest the destination has already is left as it is.
import { UserError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { MANIFEST_ACCEPT, RegistryClient, type RegistryClientOptions } from './registry-client.ts';

interface Manifest {
  mediaType?: string;
  config?: { digest: string };
  layers?: Array<{ digest: string }>;
  manifests?: Array<{ digest: string }>;
}

class CopyClient extends RegistryClient {
  private url(kind: 'manifests' | 'blobs', reference: string): string {
    return `${this.base}/v2/${this.repository}/${kind}/${reference}`;
  }

  async manifest(reference: string): Promise<{ body: Buffer; mediaType: string }> {
    const res = await this.request('GET', this.url('manifests', reference), 'pull', {
      Accept: MANIFEST_ACCEPT,
    });
    this.check(res, `GET manifest ${reference}`);
    const body = Buffer.from(await res.arrayBuffer());
    const mediaType = res.headers.get('content-type') ?? '';
    return {
      body,
      mediaType: mediaType || (JSON.parse(body.toString()) as Manifest).mediaType || '',
    };
  }

  async putManifest(reference: string, m: { body: Buffer; mediaType: string }): Promise<void> {
    const res = await this.request(
      'PUT',
      this.url('manifests', reference),
      'pull,push',
      { 'Content-Type': m.mediaType },
      m.body,
    );
    this.check(res, `PUT manifest ${reference}`);
  }

  async hasBlob(digest: string): Promise<boolean> {
    const res = await this.request('HEAD', this.url('blobs', digest), 'pull,push', {});
    if (res.status === 404) return false;
    this.check(res, `HEAD blob ${digest}`);
    return true;
  }

  async blob(digest: string): Promise<Response> {
    const res = await this.request('GET', this.url('blobs', digest), 'pull', {});
    this.check(res, `GET blob ${digest}`);
    return res;
  }

  /** Mounts the blob from another repository of the same registry; false when it must be sent. */
  async mount(digest: string, from: string): Promise<boolean> {
    const query = `mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
    const res = await this.request(
      'POST',
      `${this.url('blobs', 'uploads/')}?${query}`,
      'pull,push',
      {},
    );
    await res.body?.cancel();
    return res.status === 201;
  }

  async upload(digest: string, source: Response): Promise<void> {
    const start = await this.request('POST', this.url('blobs', 'uploads/'), 'pull,push', {});
    this.check(start, 'start a blob upload');
    await start.body?.cancel();
    const location = new URL(start.headers.get('location') ?? '', this.base);
    location.searchParams.set('digest', digest);
    const length = source.headers.get('content-length');
    const put = await this.request(
      'PUT',
      location.toString(),
      'pull,push',
      {
        'Content-Type': 'application/octet-stream',
        ...(length ? { 'Content-Length': length } : {}),
      },
      source.body ?? Buffer.alloc(0),
    );
    this.check(put, `PUT blob ${digest}`);
    await put.body?.cancel();
  }
}

async function copyBlob(from: CopyClient, to: CopyClient, digest: string): Promise<void> {
  if (await to.hasBlob(digest)) return;
  if (from.host === to.host && (await to.mount(digest, from.repository))) return;
  await to.upload(digest, await from.blob(digest));
}

async function copyManifest(from: CopyClient, to: CopyClient, digest: string): Promise<void> {
  if (await to.headManifest(digest)) return;
  const manifest = await from.manifest(digest);
  const parsed = JSON.parse(manifest.body.toString('utf8')) as Manifest;
  for (const child of parsed.manifests ?? []) await copyManifest(from, to, child.digest);
  const blobs = [parsed.config?.digest, ...(parsed.layers ?? []).map((l) => l.digest)];
  await Promise.all(blobs.filter((d): d is string => Boolean(d)).map((d) => copyBlob(from, to, d)));
  await to.putManifest(digest, manifest);
}

export type CopyEnd = 'present' | 'copied';

/** Makes `digest` of `from` available in `to` (same digest); says whether it had to copy. */
export async function copyImageByDigest(
  from: Omit<RegistryClientOptions, 'getAccessToken'>,
  to: Omit<RegistryClientOptions, 'getAccessToken'>,
  digest: string,
  opts: { getAccessToken(): Promise<string>; log: Logger },
): Promise<CopyEnd> {
  const source = new CopyClient({ ...from, getAccessToken: opts.getAccessToken });
  const target = new CopyClient({ ...to, getAccessToken: opts.getAccessToken });
  if (await target.headManifest(digest)) return 'present';
  const started = performance.now();
  await copyManifest(source, target, digest);
  const head = await target.headManifest(digest);
  if (head?.digest !== digest)
    throw new UserError(
      'build',
      `copied ${digest} to ${to.host}/${to.repository}, but the registry does not serve it by that digest`,
    );
  opts.log.info(
    `Copied ${from.host}/${from.repository}@${digest} to ${to.host}/${to.repository} (${Math.round(performance.now() - started)} ms).`,
  );
  return 'copied';
}
