// The job lifecycle shared by the training job, the Kaniko build job, attach, the post step and
// the CLI: the phases it records, its verdicts, and cancel-on-abort, against the emulator.

import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { VertexEmulator } from '../../emulators/vertex/emulator.ts';
import type { JobSnapshot } from '../../src/core/job.ts';
import { submitCustomJob, type VertexConnection } from '../../src/vertex/index.ts';
import {
  followJob,
  isUnfinished,
  stopOnAbort,
  type FollowPlan,
  type JobPhase,
} from '../../src/vertex/lifecycle.ts';
import { launchLabel, plaintextSetup, recordingLogger, request } from './helpers.ts';

let emulator: VertexEmulator;
let conn: VertexConnection;
beforeAll(async () => ({ emulator, conn } = await plaintextSetup()));
afterAll(async () => {
  await conn?.close();
  await emulator?.stop();
});
beforeEach(() => emulator.reset());

async function launch(scenario: string): Promise<JobSnapshot> {
  emulator.queueScenarios(scenario);
  const { job } = await submitCustomJob(conn, request(), {
    launchLabel: launchLabel(),
    log: recordingLogger(),
  });
  return job;
}

const cancels = () => emulator.record().calls.filter((c) => c.method === 'CancelCustomJob').length;

/** Follows `job` and keeps what the lifecycle recorded and handed to the logs. */
async function follow(job: JobSnapshot, plan: Partial<FollowPlan<string>> = {}) {
  const phases: JobPhase[] = [];
  const finished: { state: string; aborted: boolean }[] = [];
  const end = await followJob(conn, job, {
    timeoutSeconds: 10,
    cancelOnAbort: true,
    log: recordingLogger(),
    record: (phase) => phases.push(phase),
    logs: {
      finish: async (last, followed) => {
        finished.push({ state: last.state, aborted: followed.aborted });
        return `last lines of ${last.state}`;
      },
    },
    ...plan,
  });
  return { end, phases, finished };
}

/** Aborts once the job is seen running. */
function abortWhenRunning(): Pick<FollowPlan<string>, 'signal' | 'onStateChange'> {
  const controller = new AbortController();
  return {
    signal: controller.signal,
    onStateChange: async (job) => {
      if (job.state === 'JOB_STATE_RUNNING') controller.abort();
    },
  };
}

describe('followJob', () => {
  test('a job that succeeds: following, then done; the logs finish with its end', async () => {
    const { end, phases, finished } = await follow(await launch('succeed'));
    expect(end).toMatchObject({ verdict: 'succeeded', aborted: false, timedOut: false });
    expect(end.job.state).toBe('JOB_STATE_SUCCEEDED');
    expect(end.logs).toBe('last lines of JOB_STATE_SUCCEEDED');
    expect(phases).toEqual(['following', 'done']);
    expect(finished).toEqual([{ state: 'JOB_STATE_SUCCEEDED', aborted: false }]);
  });

  test('a job that fails: done, with the verdict failed', async () => {
    const { end, phases } = await follow(await launch('fail'));
    expect(end.verdict).toBe('failed');
    expect(end.job.state).toBe('JOB_STATE_FAILED');
    expect(phases).toEqual(['following', 'done']);
  });

  test('the wait-timeout lets a running job go: detached, not cancelled', async () => {
    const { end, phases } = await follow(await launch('stuck-pending'), { timeoutSeconds: 0.3 });
    expect(end).toMatchObject({ verdict: 'timed-out', timedOut: true, aborted: false });
    expect(end.job.state).toBe('JOB_STATE_PENDING');
    expect(phases).toEqual(['following', 'detached']);
    expect(cancels()).toBe(0);
  });

  test('abort with cancel-on-abort: the cancel is requested and recorded', async () => {
    const { end, phases, finished } = await follow(await launch('run-forever'), abortWhenRunning());
    expect(end).toMatchObject({ verdict: 'cancel-requested', aborted: true });
    expect(['JOB_STATE_CANCELLING', 'JOB_STATE_CANCELLED']).toContain(end.job.state);
    expect(phases).toEqual(['following', 'cancel-requested']);
    expect(finished).toEqual([{ state: 'JOB_STATE_RUNNING', aborted: true }]);
    expect(cancels()).toBe(1);
  });

  test('abort without cancel-on-abort: the job is left running, and no cancel is sent', async () => {
    const { end, phases } = await follow(await launch('run-forever'), {
      ...abortWhenRunning(),
      cancelOnAbort: false,
    });
    expect(end).toMatchObject({ verdict: 'left-running', aborted: true });
    expect(end.job.state).toBe('JOB_STATE_RUNNING');
    expect(phases).toEqual(['following', 'left-running']);
    expect(cancels()).toBe(0);
  });
});

describe('the post step rules', () => {
  test('only a job main was still following is unfinished', () => {
    const name = 'projects/p/locations/us-central1/customJobs/1';
    expect(isUnfinished({ name, phase: 'following' })).toBe(true);
    for (const phase of ['detached', 'done', 'left-running', 'cancel-requested'] as const)
      expect(isUnfinished({ name, phase })).toBe(false);
    expect(isUnfinished({ phase: 'following' })).toBe(false);
    expect(isUnfinished({ name })).toBe(false);
  });

  test('stopOnAbort cancels only with cancel-on-abort', async () => {
    let called = 0;
    const cancel = async () => ++called;
    expect(await stopOnAbort(false, cancel)).toEqual({ phase: 'left-running' });
    expect(called).toBe(0);
    expect(await stopOnAbort(true, cancel)).toEqual({ phase: 'cancel-requested', result: 1 });
  });
});
