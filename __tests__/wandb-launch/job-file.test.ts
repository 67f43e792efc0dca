// A W&B job's wandb-job.json through the W&B adapter, as the SDK's Api.job() gets it: the file's
// URL from the job artifact's version, then the file; the API key goes only to the W&B server
// itself, never to the host of a signed URL.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startWandbEmulator, type WandbEmulator } from '../../emulators/wandb/emulator.ts';
import { loadWandbJob, readArtifactFile, wandbClient } from '../../src/wandb/index.ts';

const KEY = 'local-0123456789abcdef0123456789abcdef01234567';
const IMAGE = 'us-docker.pkg.dev/p/r/trainer:2';
let wandb: WandbEmulator;
const client = () => wandbClient({ baseUrl: wandb.url, apiKey: KEY });
const path = { entity: 'octo-team', project: 'proj', name: 'trainer', alias: 'latest' };

beforeAll(async () => {
  wandb = await startWandbEmulator({ apiKeys: [KEY] });
});
afterAll(async () => wandb?.close());
beforeEach(() => wandb.reset());

const jobJson = (image: string) =>
  JSON.stringify({ source_type: 'image', source: { image, entrypoint: ['python', 'train.py'] } });

test("a job's wandb-job.json: one GraphQL request, one download; aliases name versions", async () => {
  wandb.addArtifact('octo-team/proj/trainer', { files: { 'wandb-job.json': jobJson('old:1') } });
  wandb.addArtifact('octo-team/proj/trainer', { files: { 'wandb-job.json': jobJson(IMAGE) } });
  expect(await loadWandbJob(client(), path)).toEqual({
    ok: true,
    job: {
      path: 'octo-team/proj/trainer:latest',
      image: IMAGE,
      entrypoint: ['python', 'train.py'],
    },
  });
  const v0 = await loadWandbJob(client(), { ...path, alias: 'v0' });
  expect(v0).toMatchObject({ ok: true, job: { image: 'old:1' } });
  expect(wandb.requests.map((r) => r.operationName)).toEqual([
    'ArtifactMembershipFiles',
    'ArtifactMembershipFiles',
  ]);
  expect(wandb.requests[0].variables).toEqual({
    entity: 'octo-team',
    project: 'proj',
    collection: 'trainer',
    alias: 'latest',
    fileNames: ['wandb-job.json'],
  });
  expect(wandb.fileRequests).toHaveLength(2);
});

test('a job W&B does not have, or an artifact without wandb-job.json, says so', async () => {
  expect(await loadWandbJob(client(), path)).toMatchObject({
    ok: false,
    message: expect.stringContaining('W&B has no job octo-team/proj/trainer:latest'),
  });
  wandb.addArtifact('octo-team/proj/trainer', { type: 'model', files: { 'model.pt': 'x' } });
  expect(await readArtifactFile(client(), path, 'wandb-job.json')).toBeUndefined();
});

async function recordingServer(): Promise<{
  url: string;
  seen: IncomingHttpHeaders[];
  close: () => Promise<void>;
}> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('the key goes with a download from the W&B server, never to another host', async () => {
  const [own, other] = await Promise.all([recordingServer(), recordingServer()]);
  try {
    const c = wandbClient({ baseUrl: own.url, apiKey: KEY });
    await c.download(`${own.url}/artifactsV2/x/wandb-job.json`);
    await c.download(`${other.url}/signed/wandb-job.json?X-Goog-Signature=abc`);
    expect(own.seen[0].authorization).toBe(`Basic ${Buffer.from(`api:${KEY}`).toString('base64')}`);
    expect(other.seen[0].authorization).toBeUndefined();
  } finally {
    await Promise.all([own.close(), other.close()]);
  }
});
