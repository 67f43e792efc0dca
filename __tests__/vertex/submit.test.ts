// Submitting through the real JobServiceClient against the emulator: the request arrives
// exactly as written, and every fault still leaves exactly one job (or none, with a clear error).

import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { UserError } from '../../src/core/errors.ts';
import { submitCustomJob, type VertexConnection } from '../../src/vertex/index.ts';
import {
  creates,
  launchLabel,
  PARENT,
  plaintextSetup,
  recordingLogger,
  request,
} from './helpers.ts';

let emulator: VertexEmulator;
let conn: VertexConnection;
beforeAll(async () => ({ emulator, conn } = await plaintextSetup()));
afterAll(async () => {
  await conn?.close();
  await emulator?.stop();
});
beforeEach(() => emulator.reset());

/** Loose access to decoded messages in the emulator's record. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

async function submitError(req = request(), label = launchLabel()): Promise<UserError> {
  try {
    await submitCustomJob(conn, req, { launchLabel: label, log: recordingLogger() });
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected submitCustomJob to fail');
}

describe('create', () => {
  test('the request reaches Vertex exactly: Duration, enums, int64, labels with the launch label', async () => {
    const label = launchLabel();
    const { job, recovered } = await submitCustomJob(conn, request(), {
      launchLabel: label,
      log: recordingLogger(),
    });
    expect(recovered).toBe(false);
    expect(job.name).toMatch(
      /^projects\/demo-project\/locations\/us-central1\/customJobs\/\d{19}$/,
    );
    expect(job.state).toBe('JOB_STATE_QUEUED');
    expect(job.createTime).toMatch(/^\d{4}-\d\d-\d\dT/);

    const record = emulator.record();
    // No lookup before the first Create: no earlier job can belong to this execution.
    expect(record.calls.map((c) => c.method)).toEqual(['CreateCustomJob']);
    const sent = record.calls[0].request as { customJob: Loose };
    const pool = sent.customJob.jobSpec.workerPoolSpecs[0];
    expect(sent.customJob.jobSpec.scheduling).toEqual({
      timeout: { seconds: '3600' },
      strategy: 'SPOT',
    });
    expect(pool.machineSpec).toEqual({
      machineType: 'n1-standard-8',
      acceleratorType: 'NVIDIA_TESLA_T4',
      acceleratorCount: 1,
    });
    expect(pool.replicaCount).toBe('1');
    expect(pool.containerSpec.args).toEqual(['--epochs', '3']);
    expect(sent.customJob.labels).toEqual({ team: 'vision', [label.key]: label.value });
    expect(record.jobsCreated).toBe(1);
  });

  test('a fractional Duration keeps its nanos', async () => {
    const req = request();
    (req.customJob.jobSpec as Loose).scheduling = { timeout: '90.5s', maxWaitDuration: '0s' };
    await submitCustomJob(conn, req, { launchLabel: launchLabel(), log: recordingLogger() });
    const sent = emulator.record().calls[0].request as { customJob: Loose };
    expect(sent.customJob.jobSpec.scheduling.timeout).toEqual({ seconds: '90', nanos: 500000000 });
  });

  test('each execution creates its own job, even with identical requests', async () => {
    const log = recordingLogger();
    const first = await submitCustomJob(conn, request(), { launchLabel: launchLabel(), log });
    const second = await submitCustomJob(conn, request(), { launchLabel: launchLabel(), log });
    expect(second.job.name).not.toBe(first.job.name);
    expect(emulator.record().jobsCreated).toBe(2);
    expect(second.recovered).toBe(false);
  });

  test('a job with the same launch label made elsewhere is never adopted', async () => {
    const label = launchLabel();
    await submitCustomJob(conn, request(), { launchLabel: label, log: recordingLogger() });
    const again = await submitCustomJob(conn, request(), {
      launchLabel: label,
      log: recordingLogger(),
    });
    expect(again.recovered).toBe(false);
    expect(emulator.record().jobsCreated).toBe(2);
  });

  test('a launch label with another value in the request is replaced', async () => {
    const label = launchLabel();
    const req = request({ labels: { [label.key]: 'stale', team: 'vision' } });
    const { job } = await submitCustomJob(conn, req, {
      launchLabel: label,
      log: recordingLogger(),
    });
    expect(job.labels[label.key]).toBe(label.value);
  });
});

describe('faults at create', () => {
  test.each(['create-response-lost', 'create-response-lost:DEADLINE_EXCEEDED'])(
    '%s: the job is found by its label, exactly one job exists',
    async (scenario) => {
      emulator.queueScenarios(scenario);
      const log = recordingLogger();
      const { job, recovered } = await submitCustomJob(conn, request(), {
        launchLabel: launchLabel(),
        log,
      });
      const record = emulator.record();
      expect(record.jobsCreated).toBe(1);
      expect(creates(emulator)).toBe(1);
      expect(record.jobs.map((j) => j.name)).toEqual([job.name]);
      expect(recovered).toBe(true);
      expect(log.warnings().join('\n')).toMatch(
        /CreateCustomJob failed with (UNAVAILABLE|DEADLINE_EXCEEDED)/,
      );
    },
  );

  test('UNAVAILABLE without a job: retried after checking the label, one job in the end', async () => {
    emulator.queueScenarios('create-unavailable', 'create-unavailable');
    const { job } = await submitCustomJob(conn, request(), {
      launchLabel: launchLabel(),
      log: recordingLogger(),
    });
    expect(creates(emulator)).toBe(3);
    expect(emulator.record().jobsCreated).toBe(1);
    expect(emulator.record().jobs[0].name).toBe(job.name);
    // A List after each failure, none before the first Create.
    const methods = emulator.record().calls.map((c) => c.method);
    expect(methods[0]).toBe('CreateCustomJob');
    expect(methods.filter((m) => m === 'ListCustomJobs')).toHaveLength(2);
  });

  test('UNAVAILABLE on every attempt: a bounded number of tries, no job, a submit error saying so', async () => {
    emulator.queueScenarios(...Array(10).fill('create-unavailable'));
    const error = await submitError();
    expect(error.phase).toBe('submit');
    expect(error.message).toContain('CreateCustomJob failed with UNAVAILABLE');
    expect(error.message).toContain('5 attempts');
    expect(error.message).toContain('none was created');
    expect(creates(emulator)).toBe(5);
    expect(emulator.record().jobsCreated).toBe(0);
  });

  test('RESOURCE_EXHAUSTED is a quota: surfaced at once with what to do', async () => {
    emulator.queueScenarios('create-resource-exhausted');
    const error = await submitError();
    expect(error.message).toContain('RESOURCE_EXHAUSTED');
    expect(error.message).toContain('custom_model_training_cpus');
    expect(error.message).toContain('quota');
    expect(creates(emulator)).toBe(1);
  });

  test('INVALID_ARGUMENT from the service is not retried', async () => {
    emulator.queueScenarios('create-invalid-argument');
    const error = await submitError();
    expect(error.message).toMatch(
      /^Vertex AI CreateCustomJob failed with INVALID_ARGUMENT: Request contains/,
    );
    expect(creates(emulator)).toBe(1);
  });
});

describe('request validation by the emulator, as the service does it', () => {
  const pool = (extra: Record<string, unknown>) => ({
    machineSpec: { machineType: 'n1-standard-4' },
    ...extra,
  });
  test.each<[string, () => ReturnType<typeof request>, string]>([
    ['no display name', () => request({ displayName: '' }), 'display_name is required'],
    [
      'a long display name',
      () => request({ displayName: 'x'.repeat(129) }),
      'longer than 128 characters',
    ],
    [
      'no worker pool',
      () => request({ jobSpec: { workerPoolSpecs: [] } }),
      'at least one worker pool',
    ],
    [
      'a first pool without a container',
      () => request({ jobSpec: { workerPoolSpecs: [pool({})] } }),
      'one of container_spec or python_package_spec is required',
    ],
    [
      'a first pool without a machine type',
      () => request({ jobSpec: { workerPoolSpecs: [{ containerSpec: { imageUri: 'i' } }] } }),
      'machine_spec.machine_type is required',
    ],
    [
      'a label key with capitals',
      () => request({ labels: { Team: 'x' } }),
      'Label key "Team" is invalid',
    ],
    ['a label value too long', () => request({ labels: { team: 'v'.repeat(64) } }), 'Label value'],
    [
      '65 labels',
      () =>
        request({
          labels: Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${i}`, 'v'])),
        }),
      'At most 64 labels',
    ],
    [
      'a bad parent',
      () => ({ ...request(), parent: 'projects/demo-project/regions/us-central1' }),
      'expected projects/{project}/locations/{location}',
    ],
  ])('%s -> INVALID_ARGUMENT', async (_case, build, message) => {
    const error = await submitError(build());
    expect(error.message).toContain('INVALID_ARGUMENT');
    expect(error.message).toContain(message);
    expect(emulator.record().jobsCreated).toBe(0);
  });

  test('placeholder pools after the first are accepted', async () => {
    const req = request();
    const pools = (req.customJob.jobSpec as { workerPoolSpecs: unknown[] }).workerPoolSpecs;
    pools.push({}, pool({ replicaCount: '2', containerSpec: { imageUri: 'img' } }));
    const { job } = await submitCustomJob(conn, req, {
      launchLabel: launchLabel(),
      log: recordingLogger(),
    });
    expect(job.name.startsWith(`${PARENT}/customJobs/`)).toBe(true);
  });
});
