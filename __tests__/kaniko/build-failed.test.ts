// A failed build job's error: Vertex's reason, then the executor's last lines, from the job's
// log entries when they were read, else from what follows the reason in the job's error.
import { buildFailed } from '../../src/kaniko/build-job.ts';
import type { JobSnapshot } from '../../src/core/job.ts';

const job = (message: string): JobSnapshot => ({
  name: 'projects/p/locations/us-central1/customJobs/42',
  id: '42',
  displayName: 'image build',
  state: 'JOB_STATE_FAILED',
  error: { code: 2, message },
  labels: {},
});
const URL =
  'https://console.cloud.google.com/vertex-ai/locations/us-central1/training/42?project=p';
const REASON =
  'The replica workerpool0-0 exited with a non-zero status of 1. Termination reason: Error.';

test('the log lines, when read, are the last lines; the problem is on the Dockerfile', () => {
  const err = buildFailed(job(REASON), URL, 'docker/Dockerfile', [
    '',
    'Step 1/2 : FROM x',
    'error building image: boom',
  ]);
  expect(err.phase).toBe('build');
  expect(err.message).toBe(
    `the Kaniko build job projects/p/locations/us-central1/customJobs/42 ended FAILED: ` +
      `The replica workerpool0-0 exited with a non-zero status of 1. Termination reason: Error; ` +
      `nothing was submitted. The executor's last lines:\n  Step 1/2 : FROM x\n  error building image: boom\nBuild job: ${URL}`,
  );
  expect(err.problems).toEqual([
    { path: 'dockerfile', file: 'docker/Dockerfile', message: 'the image build failed' },
  ]);
});

test("without log lines, the lines after the reason in the job's error; at most 30", () => {
  const lines = Array.from({ length: 40 }, (_, i) => `line ${i}`);
  const err = buildFailed(job(`${REASON}\n${lines.join('\n')}`), URL, 'Dockerfile');
  expect(err.message).toContain("The executor's last lines:\n  line 10\n");
  expect(err.message).not.toContain('line 9\n');
  expect(err.message).toContain('  line 39\nBuild job:');
  expect(buildFailed(job(REASON), URL, 'Dockerfile', []).message).toBe(
    `the Kaniko build job projects/p/locations/us-central1/customJobs/42 ended FAILED: ${REASON.slice(0, -1)}; nothing was submitted.\nBuild job: ${URL}`,
  );
});
