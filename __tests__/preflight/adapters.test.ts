// The Storage and IAM adapters, driving the real @google-cloud/storage client and plain HTTP
// against the local stand-ins: what each answer becomes, and that a plaintext endpoint never
// receives credentials.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { OAuth2Client } from 'google-auth-library';
import { Storage } from '@google-cloud/storage';
import { startIamEmulator, type IamEmulator } from '../../emulators/iam/emulator.ts';
import { crc32c, crc32cBase64 } from '../../emulators/storage/crc32c.ts';
import { startStorageEmulator, type StorageEmulator } from '../../emulators/storage/emulator.ts';
import { iamClient } from '../../src/iam/index.ts';
import { connectStorage } from '../../src/storage/index.ts';

const SA = 'trainer@my-proj-1.iam.gserviceaccount.com';
const ACT_AS = 'iam.serviceAccounts.actAs';
const CREATE = 'storage.objects.create';

/** A client that would send `Bearer never-sent` if asked to authorize a request. */
function tokenClient(): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 'never-sent', expiry_date: Date.now() + 3_600_000 });
  return client;
}

let storage: StorageEmulator;
let iam: IamEmulator;
beforeAll(async () => {
  [storage, iam] = await Promise.all([startStorageEmulator(), startIamEmulator()]);
  storage.addBucket('regional', { location: 'US-CENTRAL1' });
  storage.addBucket('multi', { location: 'US' });
  storage.addBucket('read-only', { permissions: ['storage.buckets.get', 'storage.objects.get'] });
  storage.addBucket('write-only', { permissions: [CREATE] });
  iam.addAccount(SA);
  iam.addAccount('other@my-proj-1.iam.gserviceaccount.com', { actAs: false });
});
afterAll(async () => {
  await Promise.all([storage?.close(), iam?.close()]);
});
beforeEach(() => {
  storage.resetRequests();
  iam.resetRequests();
  iam.refuseCheck = new Set();
});

describe('storage adapter (real @google-cloud/storage client)', () => {
  const connect = () =>
    connectStorage({
      endpoint: storage.url,
      universe: 'googleapis.com',
      authClient: tokenClient(),
    });

  test('location and locationType of regional and multi-region buckets', async () => {
    const probe = await connect();
    expect(await probe.location('regional')).toEqual({
      ok: true,
      value: { location: 'US-CENTRAL1', locationType: 'region' },
    });
    expect(await probe.location('multi')).toEqual({
      ok: true,
      value: { location: 'US', locationType: 'multi-region' },
    });
    expect(storage.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /storage/v1/b/regional',
      'GET /storage/v1/b/multi',
    ]);
  });

  test('testPermissions: the held subset; nothing is written', async () => {
    const probe = await connect();
    expect(await probe.permissions('regional', [CREATE])).toEqual({ ok: true, value: [CREATE] });
    expect(await probe.permissions('read-only', [CREATE])).toEqual({ ok: true, value: [] });
    expect(storage.requests.every((r) => r.method === 'GET')).toBe(true);
    expect(storage.requests[0].query.getAll('permissions')).toEqual([CREATE]);
    expect(storage.store.buckets.get('regional')!.objects.size).toBe(0);
  });

  test('a missing bucket is 404, a bucket the caller may not read is 403', async () => {
    const probe = await connect();
    expect(await probe.location('nope')).toMatchObject({ ok: false, status: 404 });
    expect(await probe.permissions('nope', [CREATE])).toMatchObject({ ok: false, status: 404 });
    const denied = await probe.location('write-only');
    expect(denied).toMatchObject({ ok: false, status: 403 });
    expect(denied.ok ? '' : denied.message).toContain('storage.buckets.get');
  });

  test('a transient 503 is retried by the client', async () => {
    const probe = await connect();
    storage.failNext(1, 503);
    expect(await probe.location('regional')).toMatchObject({ ok: true });
    expect(storage.requests.map((r) => r.status)).toEqual([503, 200]);
  });

  test('a plaintext endpoint gets no credentials', async () => {
    const probe = await connect();
    await probe.location('regional');
    await probe.permissions('regional', [CREATE]);
    for (const r of storage.requests) expect(r.headers.authorization).toBeUndefined();
  });

  test('an unreachable endpoint is a failure without a status, not a throw', async () => {
    const probe = await connectStorage({
      endpoint: 'http://127.0.0.1:1',
      universe: 'googleapis.com',
      timeoutMs: 2000,
    });
    const outcome = await probe.location('regional');
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? 0 : outcome.status).toBeUndefined();
  }, 40_000);
});

describe('the storage stand-in serves objects as the client checks them', () => {
  test('crc32c: the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32cBase64(Buffer.from(''))).toBe('AAAAAA==');
  });

  test('download validates md5 and crc32c against the object resource', async () => {
    const bucket = storage.store.buckets.get('regional')!;
    storage.store.putObject(bucket, 'ctx/a.txt', Buffer.from('hello world'), 'text/plain');
    try {
      const client = new Storage({ apiEndpoint: storage.url });
      const file = client.bucket('regional').file('ctx/a.txt');
      const [metadata] = await file.getMetadata();
      expect(metadata.crc32c).toBe('yZRlqg==');
      const [data] = await file.download({ validation: 'crc32c' });
      expect(data.toString()).toBe('hello world');
      const [again] = await file.download({ validation: 'md5' });
      expect(again.toString()).toBe('hello world');
    } finally {
      // The bucket stays empty for the other tests.
      bucket.objects.delete('ctx/a.txt');
    }
  });
});

describe('IAM adapter (testIamPermissions on a service account)', () => {
  const client = () => iamClient({ endpoint: iam.url, universe: 'googleapis.com' });

  test('actAs held and not held', async () => {
    expect(await client().test('my-proj-1', SA, [ACT_AS])).toEqual({ ok: true, value: [ACT_AS] });
    expect(
      await client().test('my-proj-1', 'other@my-proj-1.iam.gserviceaccount.com', [ACT_AS]),
    ).toEqual({ ok: true, value: [] });
    const [req] = iam.requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/v1/projects/my-proj-1/serviceAccounts/${SA}:testIamPermissions`);
    expect(JSON.parse(req.body)).toEqual({ permissions: [ACT_AS] });
    expect(req.headers.authorization).toBeUndefined();
  });

  test('an unknown account: 404 under its project, 403 under projects/-', async () => {
    const ghost = 'ghost@my-proj-1.iam.gserviceaccount.com';
    expect(await client().test('my-proj-1', ghost, [ACT_AS])).toMatchObject({
      ok: false,
      status: 404,
    });
    const dash = await client().test('-', ghost, [ACT_AS]);
    expect(dash).toMatchObject({ ok: false, status: 403 });
    expect(dash.ok ? '' : dash.message).toContain('PERMISSION_DENIED');
  });

  test('a refused check is 403', async () => {
    iam.refuseCheck = true;
    expect(await client().test('my-proj-1', SA, [ACT_AS])).toMatchObject({
      ok: false,
      status: 403,
    });
  });

  test('TLS without credentials is a failure, not a request', async () => {
    const tlsClient = iamClient({ endpoint: 'https://127.0.0.1:1', universe: 'googleapis.com' });
    expect(await tlsClient.test('p', SA, [ACT_AS])).toMatchObject({ ok: false });
    expect(iam.requests).toEqual([]);
  });
});
