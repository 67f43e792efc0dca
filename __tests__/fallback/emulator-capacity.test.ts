// The Vertex emulator's per-region capacity, driven by the real JobServiceClient through the
// action's own adapter: one endpoint serves every region, a stockout fails the job with
// Vertex's message, a quota refusal stops Create, and a rate limit is retried in place.
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import type { VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { capacityOfJobError } from '../../src/core/capacity.ts';
import {
  CapacityError,
  followCustomJob,
  submitCustomJob,
  type VertexConnection,
} from '../../src/vertex/index.ts';
import {
  creates,
  launchLabel,
  plaintextSetup,
  recordingLogger,
  request,
} from '../vertex/helpers.ts';

let emulator: VertexEmulator;
let conn: VertexConnection;
beforeAll(async () => ({ emulator, conn } = await plaintextSetup()));
afterAll(async () => {
  await conn?.close();
  await emulator?.stop();
});
beforeEach(() => emulator.reset());

const inRegion = (region: string) => ({
  ...request(),
  parent: `projects/demo-project/locations/${region}`,
});

test('a region out of T4s: the job is created, then fails with code 8 and the stockout sentence', async () => {
  emulator.setCapacity('us-central1', { outOf: ['NVIDIA_TESLA_T4'] });
  const log = recordingLogger();
  const { job } = await submitCustomJob(conn, inRegion('us-central1'), {
    launchLabel: launchLabel(),
    log,
  });
  const followed = await followCustomJob(conn, job.name, { timeoutSeconds: 60, log });
  expect(followed.job.state).toBe('JOB_STATE_FAILED');
  expect(followed.job.error?.code).toBe(8);
  expect(capacityOfJobError(followed.job.error, 'us-central1')?.kind).toBe('stockout');

  // Same endpoint, another region: its capacity is its own.
  const other = await submitCustomJob(conn, inRegion('us-east4'), {
    launchLabel: launchLabel(),
    log,
  });
  expect(other.job.name).toMatch(/^projects\/demo-project\/locations\/us-east4\/customJobs\//);
  const done = await followCustomJob(conn, other.job.name, { timeoutSeconds: 60, log });
  expect(done.job.state).toBe('JOB_STATE_SUCCEEDED');
});

test('a machine without the missing accelerator is not affected', async () => {
  emulator.setCapacity('us-central1', { outOf: ['NVIDIA_L4'], quotaExhausted: ['NVIDIA_L4'] });
  const log = recordingLogger();
  const { job } = await submitCustomJob(conn, inRegion('us-central1'), {
    launchLabel: launchLabel(),
    log,
  });
  const done = await followCustomJob(conn, job.name, { timeoutSeconds: 60, log });
  expect(done.job.state).toBe('JOB_STATE_SUCCEEDED');
});

test('a used-up regional GPU quota refuses Create: a CapacityError, one Create, no job', async () => {
  const res = await fetch(`${emulator.adminUrl}/capacity`, {
    method: 'POST',
    body: JSON.stringify({ region: 'us-central1', quotaExhausted: ['NVIDIA_TESLA_T4'] }),
  });
  expect(res.status).toBe(200);
  const error = await submitCustomJob(conn, inRegion('us-central1'), {
    launchLabel: launchLabel(),
    log: recordingLogger(),
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CapacityError);
  expect((error as CapacityError).capacity.kind).toBe('quota');
  expect((error as CapacityError).message).toContain('custom_model_training_nvidia_t4_gpus');
  expect(creates(emulator)).toBe(1);
  expect(emulator.record().jobsCreated).toBe(0);
});

test('a rate-limited Create is repeated in place, without a lookup, and makes one job', async () => {
  emulator.queueScenarios('create-rate-limited', 'succeed');
  const log = recordingLogger();
  const { job } = await submitCustomJob(conn, inRegion('us-central1'), {
    launchLabel: launchLabel(),
    log,
  });
  expect(job.name).toContain('/locations/us-central1/');
  const methods = emulator.record().calls.map((c) => c.method);
  expect(methods).toEqual(['CreateCustomJob', 'CreateCustomJob']);
  expect(emulator.record().jobsCreated).toBe(1);
  expect(log.warnings().join('\n')).toMatch(/rate-limited/);
});
