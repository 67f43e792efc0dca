// The emulator itself, through the real client and its admin endpoint: label and state
// filters, methods it does not serve, delete, the record, and the admin routes.

import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { listJobsByLabel, submitCustomJob, type VertexConnection } from '../../src/vertex/index.ts';
import { PARENT, plaintextSetup, recordingLogger, request, TICK_MS } from './helpers.ts';

let emulator: VertexEmulator;
let conn: VertexConnection;
beforeAll(async () => ({ emulator, conn } = await plaintextSetup()));
afterAll(async () => {
  await conn?.close();
  await emulator?.stop();
});
beforeEach(() => emulator.reset());

async function submit(
  value: string,
  labels: Record<string, string> = {},
  scenario = 'succeed',
): Promise<string> {
  emulator.queueScenarios(scenario);
  const { job } = await submitCustomJob(conn, request({ labels }), {
    launchLabel: { key: 'launch', value },
    log: recordingLogger(),
  });
  return job.name;
}

async function list(filter: string): Promise<string[]> {
  const [jobs] = await conn.client.listCustomJobs({ parent: PARENT, filter }, { retry: null });
  return jobs.map((j) => j.name!).sort();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ListCustomJobs filters', () => {
  test('by label value, label presence and state, AND-ed', async () => {
    const a = await submit('a', { team: 'vision' }, 'run-forever');
    const b = await submit('b', { team: 'nlp' }, 'stuck-pending');
    const c = await submit('c', {}, 'run-forever');
    await sleep(TICK_MS * 3);
    expect(
      (await listJobsByLabel(conn, PARENT, { key: 'launch', value: 'b' })).map((j) => j.name),
    ).toEqual([b]);
    expect(await listJobsByLabel(conn, PARENT, { key: 'launch', value: 'zzz' })).toEqual([]);
    expect(await list('labels.team:*')).toEqual([a, b].sort());
    expect(await list('state="JOB_STATE_RUNNING"')).toEqual([a, c].sort());
    expect(await list('labels.team:* AND state=JOB_STATE_RUNNING')).toEqual([a]);
    expect(await list('labels.team="nlp" AND state="JOB_STATE_PENDING"')).toEqual([b]);
    expect(await list('')).toHaveLength(3);
    // What reconcile sends: inequalities and creation times.
    expect(await list('labels.team!="nlp" AND state!="JOB_STATE_PENDING"')).toEqual([a, c].sort());
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    expect(await list(`create_time>"${hourAgo}"`)).toHaveLength(3);
    expect(await list(`create_time<"${hourAgo}"`)).toEqual([]);
  });

  test('listing pages through many jobs (the client follows next_page_token)', async () => {
    for (let i = 0; i < 3; i++) await submit(`same-${i}`, { batch: 'x' });
    const [page, next] = await conn.client.listCustomJobs(
      { parent: PARENT, pageSize: 2, filter: 'labels.batch="x"' },
      { autoPaginate: false, retry: null },
    );
    expect(page).toHaveLength(2);
    expect(next?.pageToken).toBeTruthy();
    expect(await list('labels.batch="x"')).toHaveLength(3);
  });

  test('an unsupported filter is INVALID_ARGUMENT', async () => {
    await expect(list('labels.team > "x"')).rejects.toMatchObject({ code: 3 });
    await expect(list('update_time>"2026-01-01T00:00:00Z"')).rejects.toMatchObject({ code: 3 });
    await expect(list('create_time>"yesterday"')).rejects.toMatchObject({ code: 3 });
    await expect(list('labels.team="x" AND')).rejects.toMatchObject({ code: 3 });
  });
});

describe('other methods', () => {
  test('methods other than the CustomJob ones answer UNIMPLEMENTED', async () => {
    // The adapter's client knows only the CustomJob methods: ask with the package's full client.
    const { JobServiceClient } =
      await import('@google-cloud/aiplatform/build/src/v1/job_service_client.js');
    const grpc = await import('@grpc/grpc-js');
    const [host, port] = emulator.grpcAddress.split(':');
    const full = new JobServiceClient({
      apiEndpoint: host,
      port: Number(port),
      sslCreds: grpc.credentials.createInsecure(),
    });
    try {
      await expect(
        full.getDataLabelingJob({ name: `${PARENT}/dataLabelingJobs/1` }, { retry: null }),
      ).rejects.toMatchObject({ code: 12 });
    } finally {
      await full.close();
    }
  });

  test('DeleteCustomJob refuses a running job and deletes an ended one', async () => {
    const running = await submit('del-1', {}, 'run-forever');
    await expect(
      conn.client.deleteCustomJob({ name: running }, { retry: null }),
    ).rejects.toMatchObject({ code: 9 });
    const done = await submit('del-2', {}, 'succeed');
    await sleep(TICK_MS * 5);
    await conn.client.deleteCustomJob({ name: done }, { retry: null });
    await expect(conn.client.getCustomJob({ name: done }, { retry: null })).rejects.toMatchObject({
      code: 5,
    });
  });

  test('GetCustomJob with a malformed name is INVALID_ARGUMENT', async () => {
    await expect(
      conn.client.getCustomJob({ name: 'customJobs/1' }, { retry: null }),
    ).rejects.toMatchObject({
      code: 3,
    });
  });
});

describe('admin endpoint', () => {
  const post = (path: string, body: unknown) =>
    fetch(`${emulator.adminUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });

  test('queue scenarios, read the record, reset', async () => {
    const queued = await post('/scenarios', { scenarios: ['fail', 'stuck-pending'] });
    expect(await queued.json()).toMatchObject({ scenarioQueue: ['fail', 'stuck-pending'] });
    const { job } = await submitCustomJob(conn, request(), {
      launchLabel: { key: 'launch', value: 'admin-1' },
      log: recordingLogger(),
    });
    const record = (await (await fetch(`${emulator.adminUrl}/record`)).json()) as ReturnType<
      VertexEmulator['record']
    >;
    expect(record.jobsCreated).toBe(1);
    expect(record.scenarioQueue).toEqual(['stuck-pending']);
    expect(record.jobs[0]).toMatchObject({
      name: job.name,
      scenario: 'fail',
      displayName: 'train-resnet',
    });
    const create = record.calls.find((c) => c.method === 'CreateCustomJob')!;
    expect(create).toMatchObject({ token: null, code: 0, request: { parent: PARENT } });
    expect(Date.parse(create.time)).toBeGreaterThan(Date.now() - 60_000);

    expect((await post('/reset', {})).status).toBe(200);
    expect(emulator.record()).toEqual({ calls: [], jobsCreated: 0, jobs: [], scenarioQueue: [] });
  });

  test('bad admin requests are 400 or 404 with a message', async () => {
    const typo = await post('/scenarios', { scenarios: ['suceed'] });
    expect(typo.status).toBe(400);
    expect(((await typo.json()) as { error: string }).error).toContain('unknown scenario "suceed"');
    expect((await post('/config', { tickMs: -1 })).status).toBe(400);
    expect((await post('/nope', {})).status).toBe(404);
  });

  test('requireToken via /config: calls without an accepted token are UNAUTHENTICATED', async () => {
    await post('/config', { requireToken: true });
    try {
      await expect(list('')).rejects.toMatchObject({ code: 16 });
      await post('/tokens', { tokens: ['t-1'] });
      const [jobs] = await conn.client.listCustomJobs(
        { parent: PARENT },
        { retry: null, otherArgs: { headers: { authorization: 'Bearer t-1' } } },
      );
      expect(jobs).toEqual([]);
      expect(emulator.record().calls.map((c) => [c.token, c.code])).toEqual([
        [null, 16],
        ['t-1', 0],
      ]);
    } finally {
      await post('/config', { requireToken: false });
    }
  });
});
