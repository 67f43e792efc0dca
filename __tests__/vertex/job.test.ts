import { describe, expect, test } from '@jest/globals';
import {
  conclusionOf,
  consoleUrl,
  isJobState,
  isTerminal,
  JOB_STATES,
  jobIdOf,
  jobStateFromNumber,
  parseJobName,
  shortState,
  type JobState,
} from '../../src/core/job.ts';

describe('job states', () => {
  test('terminal states are exactly the five end states', () => {
    const terminal = JOB_STATES.filter(isTerminal);
    expect(terminal).toEqual([
      'JOB_STATE_SUCCEEDED',
      'JOB_STATE_FAILED',
      'JOB_STATE_CANCELLED',
      'JOB_STATE_EXPIRED',
      'JOB_STATE_PARTIALLY_SUCCEEDED',
    ]);
  });

  test.each<[JobState, string]>([
    ['JOB_STATE_SUCCEEDED', 'success'],
    ['JOB_STATE_FAILED', 'failure'],
    ['JOB_STATE_PARTIALLY_SUCCEEDED', 'failure'],
    ['JOB_STATE_CANCELLED', 'cancelled'],
    ['JOB_STATE_CANCELLING', 'cancelled'],
    ['JOB_STATE_EXPIRED', 'timed_out'],
    ['JOB_STATE_RUNNING', 'timed_out'],
    ['JOB_STATE_PENDING', 'timed_out'],
    ['JOB_STATE_UNSPECIFIED', 'timed_out'],
  ])('%s concludes as %s', (state, conclusion) => {
    expect(conclusionOf(state)).toBe(conclusion);
  });

  test('enum numbers follow job_state.proto', () => {
    expect(jobStateFromNumber(3)).toBe('JOB_STATE_RUNNING');
    expect(jobStateFromNumber(9)).toBe('JOB_STATE_EXPIRED');
    expect(jobStateFromNumber(11)).toBe('JOB_STATE_PARTIALLY_SUCCEEDED');
    expect(jobStateFromNumber(99)).toBe('JOB_STATE_UNSPECIFIED');
    expect(isJobState('JOB_STATE_PAUSED')).toBe(true);
    expect(isJobState('RUNNING')).toBe(false);
    expect(shortState('JOB_STATE_CANCELLING')).toBe('CANCELLING');
  });
});

describe('names and links', () => {
  const name = 'projects/my-proj/locations/europe-west4/customJobs/1234567890123456789';

  test('jobIdOf and parseJobName read the resource name', () => {
    expect(jobIdOf(name)).toBe('1234567890123456789');
    expect(parseJobName(name)).toEqual({
      project: 'my-proj',
      location: 'europe-west4',
      id: '1234567890123456789',
    });
    expect(parseJobName('customJobs/1')).toBeUndefined();
    expect(jobIdOf('customJobs/77')).toBe('77');
  });

  test('consoleUrl is the Vertex AI training page', () => {
    expect(consoleUrl('europe-west4', '123', 'my-proj')).toBe(
      'https://console.cloud.google.com/vertex-ai/locations/europe-west4/training/123?project=my-proj',
    );
  });
});
