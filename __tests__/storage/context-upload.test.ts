// Build contexts in Cloud Storage through the real @google-cloud/storage client against the
// JSON-API stand-in: a single multipart request for small archives, a resumable session for
// large ones (which survives a failed request by asking how much arrived), create-only so an
// object already there is never uploaded again, corrupted bytes refused by the stand-in as by
// the service, and permission failures that say which role is missing.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { crc32cBase64 } from '../../emulators/storage/crc32c.ts';
import { startStorageEmulator, type StorageEmulator } from '../../emulators/storage/emulator.ts';
import {
  connectContextObjects,
  RESUMABLE_THRESHOLD,
  UPLOAD_CHUNK,
  type ContextObjects,
} from '../../src/storage/context-upload.ts';

let storage: StorageEmulator;
let objects: ContextObjects;
let dir: string;

beforeAll(async () => {
  storage = await startStorageEmulator();
  storage.addBucket('ctx');
  storage.addBucket('read-only', { permissions: ['storage.buckets.get', 'storage.objects.get'] });
  objects = await connectContextObjects({
    endpoint: storage.url,
    universe: 'googleapis.com',
    projectId: 'p',
  });
  dir = await mkdtemp(path.join(os.tmpdir(), 'wbvl-upload-'));
});

afterAll(async () => {
  await storage?.close();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => storage.resetRequests());

async function file(name: string, size: number): Promise<{ path: string; data: Buffer }> {
  const data = randomBytes(size);
  const p = path.join(dir, name);
  await writeFile(p, data);
  return { path: p, data };
}

const stored = (name: string) => storage.store.buckets.get('ctx')!.objects.get(name);
const seen = () =>
  storage.requests.map((r) =>
    [r.method, r.query.get('uploadType'), r.headers['content-range'], r.status]
      .filter(Boolean)
      .join(' '),
  );

test('a small archive: one multipart request, then it is there', async () => {
  const f = await file('small', 4096);
  expect(await objects.exists('ctx', 'a/small.tar.gz')).toBe(false);
  expect(await objects.upload('ctx', 'a/small.tar.gz', f.path, 4096, 'application/gzip')).toEqual({
    uploaded: true,
    resumable: false,
  });
  expect(stored('a/small.tar.gz')!.data.equals(f.data)).toBe(true);
  expect(stored('a/small.tar.gz')!.contentType).toBe('application/gzip');
  expect(await objects.exists('ctx', 'a/small.tar.gz')).toBe(true);
  expect(seen()).toEqual(['GET 404', 'POST multipart 200', 'GET 200']);
  // Create only: the request carried ifGenerationMatch=0.
  expect(storage.requests[1].query.get('ifGenerationMatch')).toBe('0');
});

test('a large archive: a resumable session, in chunks', async () => {
  const size = UPLOAD_CHUNK + 123_457;
  const f = await file('large', size);
  expect(await objects.upload('ctx', 'a/large.tar.gz', f.path, size, 'application/gzip')).toEqual({
    uploaded: true,
    resumable: true,
  });
  expect(stored('a/large.tar.gz')!.data.equals(f.data)).toBe(true);
  expect(seen()).toEqual([
    'POST resumable 200',
    `PUT resumable bytes 0-${UPLOAD_CHUNK - 1}/* 308`,
    `PUT resumable bytes ${UPLOAD_CHUNK}-${size - 1}/${size} 200`,
  ]);
});

test('a resumable upload whose request fails resumes where the service says it stopped', async () => {
  const size = UPLOAD_CHUNK + RESUMABLE_THRESHOLD;
  const f = await file('flaky', size);
  // The session opens; its first data request fails.
  storage.failNext(1, 503, (r) => r.method === 'PUT');
  const r = await objects.upload('ctx', 'a/flaky.tar.gz', f.path, size, 'application/gzip');
  expect(r.uploaded).toBe(true);
  expect(stored('a/flaky.tar.gz')!.data.equals(f.data)).toBe(true);
  expect(seen()).toEqual([
    'POST resumable 200',
    `PUT resumable bytes 0-${UPLOAD_CHUNK - 1}/* 503`,
    'PUT resumable bytes */* 308',
    `PUT resumable bytes 0-${UPLOAD_CHUNK - 1}/* 308`,
    `PUT resumable bytes ${UPLOAD_CHUNK}-${size - 1}/${size} 200`,
  ]);
});

test('an object that appeared meanwhile is not uploaded again (412), for either kind', async () => {
  const bucket = storage.store.buckets.get('ctx')!;
  for (const [name, size] of [
    ['meanwhile/small.tar.gz', 4096],
    ['meanwhile/large.tar.gz', UPLOAD_CHUNK + 123_457],
  ] as const) {
    storage.store.putObject(bucket, name, randomBytes(size), 'application/gzip');
    const before = stored(name)!.generation;
    const f = await file(`again-${size}`, size);
    expect((await objects.upload('ctx', name, f.path, size, 'application/gzip')).uploaded).toBe(
      false,
    );
    expect(stored(name)!.generation).toBe(before);
  }
});

test('corrupted bytes are refused by the service (hash mismatch)', async () => {
  const res = await fetch(
    `${storage.url}/upload/storage/v1/b/ctx/o?uploadType=resumable&name=corrupt`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
  );
  const session = res.headers.get('location')!;
  const put = await fetch(session, {
    method: 'PUT',
    headers: {
      'content-range': 'bytes 0-4/5',
      'x-goog-hash': `crc32c=${crc32cBase64(Buffer.from('other'))}`,
    },
    body: 'hello',
  });
  expect(put.status).toBe(400);
  expect(((await put.json()) as { error: { message: string } }).error.message).toMatch(/CRC32C/);
  expect(stored('corrupt')).toBeUndefined();
});

test('no permission to create objects: an error naming the role and the input', async () => {
  const f = await file('denied', 100);
  const err = await objects
    .upload('read-only', 'x.tar.gz', f.path, 100, 'application/gzip')
    .catch((e: unknown) => e);
  expect(err).toMatchObject({
    phase: 'build',
    message: expect.stringMatching(
      /Cloud Storage: uploading gs:\/\/read-only\/x\.tar\.gz failed \(HTTP 403\): .*The credentials may not write objects in gs:\/\/read-only: grant the workflow's identity roles\/storage\.objectCreator/,
    ),
    problems: [
      {
        path: 'build-context-store',
        message: expect.stringContaining('roles/storage.objectCreator'),
      },
    ],
  });
  const missing = await objects.exists('no-such-bucket', 'x').catch((e: unknown) => e);
  // A missing bucket reads as a missing object to `exists`; the upload then says what is wrong.
  expect(missing).toBe(false);
  const upload = await objects
    .upload('no-such-bucket', 'x', f.path, 100, 'application/gzip')
    .catch((e: unknown) => e);
  expect((upload as Error).message).toMatch(
    /HTTP 404.*Bucket gs:\/\/no-such-bucket does not exist/,
  );
});

test('reading back: the text of an object, undefined when absent', async () => {
  const put = await fetch(
    `${storage.url}/upload/storage/v1/b/ctx/o?uploadType=media&name=builds%2F1.digest`,
    {
      method: 'POST',
      body: 'sha256:' + 'a'.repeat(64),
    },
  );
  expect(put.status).toBe(200);
  expect(await objects.readText('ctx', 'builds/1.digest')).toBe('sha256:' + 'a'.repeat(64));
  expect(await objects.readText('ctx', 'builds/2.digest')).toBeUndefined();
});
