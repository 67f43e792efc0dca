// TLS with a throwaway CA (trusted through GRPC_DEFAULT_SSL_ROOTS_FILE_PATH) and bearer tokens
// from a real google-auth-library client: the token reaches Vertex, a wrong one is refused.

import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { OAuth2Client } from 'google-auth-library';
import type { VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { makeThrowawayTls } from '../helpers/tls.ts';
import { UserError } from '../../src/core/errors.ts';
import {
  connectVertex,
  followCustomJob,
  submitCustomJob,
  type VertexConnection,
} from '../../src/vertex/index.ts';
import { launchLabel, recordingLogger, request, TICK_MS, TIME_SCALE } from './helpers.ts';

// grpc-js reads GRPC_DEFAULT_SSL_ROOTS_FILE_PATH once, when it is first loaded, and jest loads
// CommonJS dependencies of static imports before any test code runs: so the variable is set
// here and the emulator (the only static importer of grpc-js) is imported dynamically below.
const certs = makeThrowawayTls();
process.env.GRPC_DEFAULT_SSL_ROOTS_FILE_PATH = certs.caFile;

let emulator: VertexEmulator;
const connections: VertexConnection[] = [];

function tokenClient(token: string): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return client;
}

async function connect(endpoint: string, token: string): Promise<VertexConnection> {
  const conn = await connectVertex({
    region: 'us-central1',
    endpoint,
    authClient: tokenClient(token),
    projectId: 'demo-project',
    timeScale: TIME_SCALE,
  });
  connections.push(conn);
  return conn;
}

beforeAll(async () => {
  const { startVertexEmulator } = await import('../../emulators/vertex/emulator.ts');
  emulator = await startVertexEmulator({
    tickMs: TICK_MS,
    tls: { cert: certs.cert, key: certs.key },
    acceptedTokens: ['ya29.good-token'],
  });
});
afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  await emulator?.stop();
  certs.cleanup();
  delete process.env.GRPC_DEFAULT_SSL_ROOTS_FILE_PATH;
});

test('https://HOST:PORT: every call carries the auth client bearer token; the job runs to the end', async () => {
  const conn = await connect(`https://${emulator.grpcAddress}`, 'ya29.good-token');
  expect(conn.endpoint.tls).toBe(true);
  const { job } = await submitCustomJob(conn, request(), {
    launchLabel: launchLabel(),
    log: recordingLogger(),
  });
  const result = await followCustomJob(conn, job.name, {
    timeoutSeconds: 10,
    log: recordingLogger(),
  });
  expect(result.job.state).toBe('JOB_STATE_SUCCEEDED');
  const calls = emulator.record().calls;
  expect(calls.length).toBeGreaterThanOrEqual(2);
  expect(calls.every((c) => c.token === 'ya29.good-token' && c.code === 0)).toBe(true);
});

test('HOST:PORT without a scheme is TLS too (localhost matches the certificate)', async () => {
  const port = emulator.grpcAddress.split(':').at(-1);
  const conn = await connect(`localhost:${port}`, 'ya29.good-token');
  const jobs = await conn.client.listCustomJobs(
    { parent: 'projects/demo-project/locations/us-central1' },
    { retry: null },
  );
  expect(Array.isArray(jobs[0])).toBe(true);
});

test('a token the service does not accept: UNAUTHENTICATED, no job, a submit error that says what to check', async () => {
  emulator.reset();
  const conn = await connect(`https://${emulator.grpcAddress}`, 'ya29.stolen-or-expired');
  const error = await submitCustomJob(conn, request(), {
    launchLabel: launchLabel(),
    log: recordingLogger(),
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).message).toContain('UNAUTHENTICATED');
  expect((error as UserError).message).toContain('workload-identity-provider');
  expect((error as UserError).message).not.toContain('stolen');
  expect(emulator.record().jobsCreated).toBe(0);
  expect(emulator.record().calls.map((c) => c.code)).toEqual([16]);
});

test('a plaintext client cannot talk to the TLS endpoint, and sends no token trying', async () => {
  emulator.reset();
  const conn = await connect(`http://${emulator.grpcAddress}`, 'ya29.good-token');
  expect(conn.endpoint.tls).toBe(false);
  const error = await conn.client
    .listCustomJobs(
      { parent: 'projects/demo-project/locations/us-central1' },
      { retry: null, timeout: 3000 },
    )
    .catch((e: unknown) => e);
  expect((error as { code?: number }).code).toBe(14);
  expect(emulator.record().calls).toEqual([]);
});
