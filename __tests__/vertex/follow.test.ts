// Following jobs through every scripted lifecycle, with the real client against the emulator.

import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { UserError } from '../../src/core/errors.ts';
import { conclusionOf, type JobSnapshot } from '../../src/core/job.ts';
import { DEFAULT_POLL_POLICY } from '../../src/core/follow-policy.ts';
import {
  cancelCustomJob,
  followCustomJob,
  getCustomJob,
  submitCustomJob,
  type FollowOptions,
  type VertexConnection,
} from '../../src/vertex/index.ts';
import {
  gets,
  launchLabel,
  plaintextSetup,
  recordingLogger,
  request,
  TICK_MS,
  TIME_SCALE,
} from './helpers.ts';

let emulator: VertexEmulator;
let conn: VertexConnection;
beforeAll(async () => ({ emulator, conn } = await plaintextSetup()));
afterAll(async () => {
  await conn?.close();
  await emulator?.stop();
});
beforeEach(() => emulator.reset());

async function launch(scenario: string): Promise<string> {
  emulator.queueScenarios(scenario);
  const { job } = await submitCustomJob(conn, request(), {
    launchLabel: launchLabel(),
    log: recordingLogger(),
  });
  return job.name;
}

/** Follows with a counting sleep, so the number of Gets can be checked against the number of waits. */
async function follow(name: string, opts: Partial<FollowOptions> = {}) {
  const log = recordingLogger();
  const changes: JobSnapshot[] = [];
  const waits: number[] = [];
  const result = await followCustomJob(conn, name, {
    timeoutSeconds: 10,
    log,
    onStateChange: (job) => void changes.push(job),
    sleep: async (ms, signal) => {
      waits.push(ms);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener('abort', () => (clearTimeout(timer), resolve(undefined)), {
          once: true,
        });
      });
    },
    ...opts,
  });
  return { result, log, changes, waits };
}

describe('lifecycles', () => {
  test('succeed: each state reported once, one Get per poll, waits as the policy says', async () => {
    // Ticks well above the 10 ms quick poll, so even a loaded machine sees every state.
    emulator.setTickMs(150);
    const name = await launch('succeed');
    emulator.setTickMs(TICK_MS);
    const { result, log, changes, waits } = await follow(name);
    expect(result).toMatchObject({ timedOut: false, aborted: false });
    expect(result.job.state).toBe('JOB_STATE_SUCCEEDED');
    expect(
      result.job.startTime && result.job.endTime && result.job.endTime >= result.job.startTime,
    ).toBe(true);
    expect(changes.map((j) => j.state)).toEqual([
      'JOB_STATE_QUEUED',
      'JOB_STATE_PENDING',
      'JOB_STATE_RUNNING',
      'JOB_STATE_SUCCEEDED',
    ]);
    expect(log.infos()).toEqual([
      expect.stringMatching(/ is QUEUED\.$/),
      expect.stringMatching(/ is PENDING\.$/),
      expect.stringMatching(/ is RUNNING\.$/),
      expect.stringMatching(/ is SUCCEEDED\.$/),
    ]);
    // Exactly one Get per poll: the first, then one after each wait.
    expect(gets(emulator, name)).toBe(waits.length + 1);
    const quick = DEFAULT_POLL_POLICY.quickMs * TIME_SCALE;
    const cap = DEFAULT_POLL_POLICY.maxMs * TIME_SCALE;
    expect(waits[0]).toBeCloseTo(quick);
    for (const w of waits) {
      expect(w).toBeGreaterThanOrEqual(quick - 1e-9);
      expect(w).toBeLessThanOrEqual(cap + 1e-9);
    }
  });

  test.each([
    [
      'fail',
      'JOB_STATE_FAILED',
      'failure',
      { code: 3, message: expect.stringContaining('non-zero status of 1') },
    ],
    [
      'expired',
      'JOB_STATE_EXPIRED',
      'timed_out',
      { code: 4, message: expect.stringContaining('maximum wait') },
    ],
    ['partially-succeeded', 'JOB_STATE_PARTIALLY_SUCCEEDED', 'failure', undefined],
    ['cancelled-externally', 'JOB_STATE_CANCELLED', 'cancelled', { code: 1, message: 'CANCELED' }],
  ])('%s ends %s (%s)', async (scenario, state, conclusion, error) => {
    const { result, log, changes } = await follow(await launch(scenario));
    expect(result.job.state).toBe(state);
    expect(conclusionOf(result.job.state)).toBe(conclusion);
    expect(result.job.error).toEqual(error);
    expect(changes.at(-1)?.state).toBe(state);
    expect(new Set(changes.map((c) => c.state)).size).toBe(changes.length);
    // The final state is logged once, with Vertex's error when there is one.
    expect(log.infos().filter((l) => l.includes(state.replace('JOB_STATE_', '')))).toHaveLength(1);
    if (error)
      expect(log.infos().at(-1)).toMatch(/\((INVALID_ARGUMENT|DEADLINE_EXCEEDED|CANCELLED): /);
  });

  test('get-unavailable-burst: the failed Gets are retried, states still reported once each', async () => {
    const name = await launch('get-unavailable-burst:3');
    const { result, log, changes } = await follow(name);
    expect(result.job.state).toBe('JOB_STATE_SUCCEEDED');
    const calls = emulator.record().calls.filter((c) => c.method === 'GetCustomJob');
    expect(calls.slice(0, 3).map((c) => c.code)).toEqual([14, 14, 14]);
    expect(calls.slice(3).every((c) => c.code === 0)).toBe(true);
    expect(changes.map((j) => j.state).at(-1)).toBe('JOB_STATE_SUCCEEDED');
    expect(new Set(changes.map((c) => c.state)).size).toBe(changes.length);
    expect(log.warnings()).toEqual([expect.stringContaining('keeps failing with UNAVAILABLE')]);
  });

  test('a job that does not exist is a wait error naming NOT_FOUND', async () => {
    const missing = 'projects/demo-project/locations/us-central1/customJobs/42';
    await expect(follow(missing)).rejects.toThrow(UserError);
    await expect(follow(missing)).rejects.toThrow(/GetCustomJob failed with NOT_FOUND/);
  });

  test('a throwing state-change callback is logged and following goes on', async () => {
    const name = await launch('succeed');
    const { result, log } = await follow(name, {
      onStateChange: () => {
        throw new Error('check run API down');
      },
    });
    expect(result.job.state).toBe('JOB_STATE_SUCCEEDED');
    expect(log.warnings()[0]).toContain('check run API down');
  });
});

describe('timeout, abort and cancel', () => {
  test('stuck-pending: the wait timeout returns timedOut and leaves the job alone', async () => {
    const name = await launch('stuck-pending');
    const started = Date.now();
    const { result } = await follow(name, { timeoutSeconds: 0.4 });
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ timedOut: true, aborted: false });
    expect(result.job.state).toBe('JOB_STATE_PENDING');
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(elapsed).toBeLessThan(3000);
    expect(emulator.record().calls.some((c) => c.method === 'CancelCustomJob')).toBe(false);
    expect((await getCustomJob(conn, name)).state).toBe('JOB_STATE_PENDING');
  });

  test('abort while waiting between polls returns at once, without cancelling', async () => {
    const name = await launch('run-forever');
    const controller = new AbortController();
    let abortedAt = 0;
    const { result } = await follow(name, {
      signal: controller.signal,
      // Minutes between polls at this scale: only the abort can end the wait early.
      policy: { ...DEFAULT_POLL_POLICY, quickMs: 60_000_000, maxMs: 60_000_000 },
      onStateChange: (job) => {
        if (job.state === 'JOB_STATE_QUEUED') {
          setTimeout(() => ((abortedAt = Date.now()), controller.abort()), 100);
        }
      },
    });
    // At once: within a second (a loaded machine's scheduling), against polls minutes apart.
    expect(Date.now() - abortedAt).toBeLessThan(1_000);
    expect(result).toMatchObject({ aborted: true, timedOut: false });
    expect(result.job.state).toBe('JOB_STATE_QUEUED');
    expect(emulator.record().calls.some((c) => c.method === 'CancelCustomJob')).toBe(false);
  });

  test('an already aborted signal makes no call', async () => {
    const name = await launch('run-forever');
    const before = gets(emulator, name);
    const { result } = await follow(name, { signal: AbortSignal.abort() });
    expect(result).toMatchObject({ aborted: true, job: { name, state: 'JOB_STATE_UNSPECIFIED' } });
    expect(gets(emulator, name)).toBe(before);
  });

  test('cancel: CANCELLING at once, then CANCELLED with code 1; cancelling again is harmless', async () => {
    // Slower ticks so CANCELLING is still current when cancelCustomJob reads the job back.
    emulator.setTickMs(250);
    const name = await launch('cancel');
    emulator.setTickMs(TICK_MS);
    let cancelled: JobSnapshot | undefined;
    const states: string[] = [];
    const { result } = await follow(name, {
      onStateChange: async (job) => {
        states.push(job.state);
        if (job.state === 'JOB_STATE_RUNNING') cancelled = await cancelCustomJob(conn, name);
      },
    });
    expect(cancelled?.state).toBe('JOB_STATE_CANCELLING');
    expect(result.job.state).toBe('JOB_STATE_CANCELLED');
    expect(result.job.error).toEqual({ code: 1, message: 'CANCELED' });
    expect(states.slice(0, 3)).toEqual([
      'JOB_STATE_QUEUED',
      'JOB_STATE_PENDING',
      'JOB_STATE_RUNNING',
    ]);
    expect(states.at(-1)).toBe('JOB_STATE_CANCELLED');
    expect(emulator.record().calls.filter((c) => c.method === 'CancelCustomJob')).toHaveLength(1);

    const again = await cancelCustomJob(conn, name);
    expect(again.state).toBe('JOB_STATE_CANCELLED');
    const cancels = emulator.record().calls.filter((c) => c.method === 'CancelCustomJob');
    expect(cancels.map((c) => c.code)).toEqual([0, 9]);
  });

  test('cancel of a job that does not exist is a cancel error', async () => {
    const missing = 'projects/demo-project/locations/us-central1/customJobs/7';
    const error = await cancelCustomJob(conn, missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).phase).toBe('cancel');
    expect((error as UserError).message).toContain('NOT_FOUND');
  });
});
