// `{region}` in the registry input: the built digest is copied to each fallback region's
// repository, against Debian's docker-registry (distribution 2.8): mounted within one
// registry, streamed between two, an index with its platform manifests, and left alone where
// it is already.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { copyImageByDigest } from '../../src/docker/copy-image.ts';
import { freePort } from '../helpers/docker-env.ts';
import { recordingLogger } from '../vertex/helpers.ts';

const available = spawnSync('docker-registry', ['--version']).status === 0;
const maybe = available ? describe : describe.skip;
if (!available) console.warn('copy-image tests skipped: docker-registry is not installed');

interface Registry {
  host: string;
  stop(): Promise<void>;
}

async function startRegistry(root: string, name: string): Promise<Registry> {
  const host = `127.0.0.1:${await freePort()}`;
  const config = path.join(root, `${name}.yml`);
  await writeFile(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${path.join(root, name)}`,
      'http:',
      `  addr: ${host}`,
      '',
    ].join('\n'),
  );
  const proc: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  for (let i = 0; ; i++) {
    const up = await fetch(`http://${host}/v2/`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (i > 100) throw new Error(`docker-registry on ${host} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host,
    stop: () =>
      new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function pushBlob(host: string, repo: string, body: Buffer): Promise<string> {
  const digest = sha(body);
  const start = await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  const url = new URL(start.headers.get('location')!, `http://${host}`);
  url.searchParams.set('digest', digest);
  const put = await fetch(url, { method: 'PUT', body: new Uint8Array(body) });
  if (put.status !== 201) throw new Error(`blob upload: ${put.status}`);
  return digest;
}

async function pushManifest(host: string, repo: string, doc: object, type: string) {
  const body = Buffer.from(JSON.stringify(doc));
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${sha(body)}`, {
    method: 'PUT',
    headers: { 'Content-Type': type },
    body: new Uint8Array(body),
  });
  if (res.status !== 201) throw new Error(`manifest: ${res.status} ${await res.text()}`);
  return sha(body);
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** An image index of one platform manifest (config and a 1 MiB layer) in `repo`. */
async function seedImage(host: string, repo: string): Promise<string> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux' }));
  const layer = Buffer.alloc(1024 * 1024, 7);
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: await pushBlob(host, repo, config),
      size: config.length,
    },
    layers: [
      {
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: await pushBlob(host, repo, layer),
        size: layer.length,
      },
    ],
  };
  const platform = await pushManifest(host, repo, manifest, OCI_MANIFEST);
  const size = Buffer.byteLength(JSON.stringify(manifest));
  const index = {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      {
        mediaType: OCI_MANIFEST,
        digest: platform,
        size,
        platform: { architecture: 'amd64', os: 'linux' },
      },
    ],
  };
  return pushManifest(host, repo, index, OCI_INDEX);
}

async function servedDigest(host: string, repo: string, digest: string) {
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${digest}`, {
    method: 'HEAD',
    headers: { Accept: `${OCI_INDEX}, ${OCI_MANIFEST}` },
  });
  return res.ok ? res.headers.get('docker-content-digest') : undefined;
}

maybe('copying a digest to a fallback region', () => {
  let root: string;
  let one: Registry;
  let two: Registry;
  const opts = { getAccessToken: async () => 'unused', log: recordingLogger() };
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'wbvl-copy-'));
    [one, two] = await Promise.all([startRegistry(root, 'one'), startRegistry(root, 'two')]);
  });
  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await rm(root, { recursive: true, force: true });
  });

  test('within one registry and to another one: the same digest is served there', async () => {
    const digest = await seedImage(one.host, 'p/us-central1/trainer');
    const from = { host: one.host, repository: 'p/us-central1/trainer' };
    const sameHost = { host: one.host, repository: 'p/us-east4/trainer' };
    const otherHost = { host: two.host, repository: 'p/europe-west4/trainer' };
    expect(await copyImageByDigest(from, sameHost, digest, opts)).toBe('copied');
    expect(await copyImageByDigest(from, otherHost, digest, opts)).toBe('copied');
    expect(await servedDigest(one.host, sameHost.repository, digest)).toBe(digest);
    expect(await servedDigest(two.host, otherHost.repository, digest)).toBe(digest);
    // A second launch finds it there: nothing is copied again.
    expect(await copyImageByDigest(from, otherHost, digest, opts)).toBe('present');
  });

  test('a digest the source does not have: a located error, nothing half-made in the target', async () => {
    const missing = `sha256:${'0'.repeat(64)}`;
    const from = { host: one.host, repository: 'p/us-central1/trainer' };
    const to = { host: two.host, repository: 'p/asia-east1/trainer' };
    await expect(copyImageByDigest(from, to, missing, opts)).rejects.toThrow(
      /GET manifest sha256:0+ failed with HTTP 404/,
    );
    expect(await servedDigest(two.host, to.repository, missing)).toBeUndefined();
  });
});
