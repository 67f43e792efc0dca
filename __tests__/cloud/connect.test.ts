// The one rule for whether a step needs Google credentials, and the post-step state read back
// through its typed reader (signed as main signs it).
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { needsCredentials, type CloudSettings } from '../../src/cloud/connect.ts';
import { readPostState } from '../../src/github/state.ts';
import { TEST_GITHUB_TOKEN } from '../helpers/action-runner.ts';
import { signedState } from '../helpers/signed-state.ts';

const LOCAL = 'http://127.0.0.1:8080';
const local: CloudSettings = {
  region: 'us-central1',
  vertexEndpoint: LOCAL,
  auth: { universe: 'googleapis.com' },
  project: 'p',
};

describe('needsCredentials', () => {
  test('a plaintext local endpoint with a known project takes none', () => {
    expect(needsCredentials(local)).toBe(false);
    expect(needsCredentials(local, { projectFromCredentials: true })).toBe(false);
  });

  test('TLS, a push, a workload identity provider or a missing project take them', () => {
    expect(needsCredentials({ ...local, vertexEndpoint: undefined })).toBe(true);
    expect(needsCredentials({ ...local, vertexEndpoint: 'https://127.0.0.1:8443' })).toBe(true);
    expect(needsCredentials(local, { push: true })).toBe(true);
    const wif = 'projects/1/locations/global/workloadIdentityPools/p/providers/gh';
    expect(
      needsCredentials({ ...local, auth: { ...local.auth, workloadIdentityProvider: wif } }),
    ).toBe(true);
    const noProject = { ...local, project: undefined };
    expect(needsCredentials(noProject, { projectFromCredentials: true })).toBe(true);
    // The CLI takes no project from credentials: without one it still needs none.
    expect(needsCredentials(noProject)).toBe(false);
  });

  test('Cloud Logging counts only when the step reads it', () => {
    expect(needsCredentials(local, { logs: true })).toBe(true);
    expect(needsCredentials({ ...local, loggingEndpoint: LOCAL }, { logs: true })).toBe(false);
  });
});

describe('readPostState', () => {
  // The signing key is the github-token input, which the post step reads as the runner sets it.
  const KEY_INPUT = 'INPUT_GITHUB-TOKEN';
  beforeEach(() => {
    process.env[KEY_INPUT] = TEST_GITHUB_TOKEN;
  });
  afterEach(() => {
    delete process.env[KEY_INPUT];
  });
  const run = { GITHUB_REPOSITORY: 'org/repo', GITHUB_RUN_ID: '7', GITHUB_RUN_ATTEMPT: '1' };
  const env = (state: Record<string, string>) => ({
    ...run,
    ...Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v])),
  });
  const name = 'projects/p/locations/us-central1/customJobs/1';

  test('each kind of job by its own keys, the phase typed', () => {
    const saved = readPostState(
      env(
        signedState(
          {
            'job-name': name,
            'job-phase': 'following',
            'build-job-phase': 'done',
            'launch-id': 'x',
          },
          '7',
        ),
      ),
    );
    expect(saved.job('job')).toEqual({ name, phase: 'following' });
    expect(saved.job('build')).toEqual({ name: undefined, phase: 'done' });
    expect(saved.launchId).toBe('x');
    expect(saved.rejected).toEqual([]);
  });

  test('a phase main never writes is no phase; an unsigned value is rejected', () => {
    const saved = readPostState(
      env({ ...signedState({ 'job-phase': 'running' }, '7'), 'job-name': name }),
    );
    expect(saved.job('job')).toEqual({ name: undefined, phase: undefined });
    expect(saved.rejected).toEqual(['job-name']);
  });
});
