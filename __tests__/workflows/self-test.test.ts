// The self-test workflow, run locally through the same commands as on GitHub: the emulator
// started by its step, `uses: ./` run from dist/ as the runner runs it, and the same checks.
import { afterAll, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { condition, interpolate } from '../../scripts/local-workflow/expressions.ts';
import type { ExpressionContext } from '../../scripts/local-workflow/expressions.ts';
import { check } from '../../scripts/self-test/checks.ts';
import type { EmulatorRecord, StepResult } from '../../scripts/self-test/checks.ts';

const scratch = mkdtempSync(join(tmpdir(), 'wbvl-self-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function runLocally(workflow: string) {
  return spawnSync(process.execPath, ['scripts/run-workflow-locally.ts', workflow], {
    encoding: 'utf8',
    timeout: 240_000,
  });
}

test('the self-test job passes locally: succeeded, failed and dry-run cases, emulator stopped', () => {
  const run = runLocally('.github/workflows/self-test.yml');
  const summary = run.stdout.slice(run.stdout.lastIndexOf('\n- Run actions/checkout'));
  expect(summary.trim().split('\n')).toEqual([
    '- Run actions/checkout@v4 (skipped: this checkout and this Node)',
    '- Run actions/setup-node@v4 (skipped: this checkout and this Node)',
    '- Run npm ci (skipped: this checkout is installed)',
    '✓ Start the Vertex AI emulator',
    '✓ A job that succeeds',
    '✓ Check the succeeded step',
    '✓ Make the next job fail',
    '✗ A job that fails (failed; continue-on-error)',
    '✓ Check the failed step',
    '✓ A dry run',
    '✓ Check the dry run',
    '✓ Stop the Vertex AI emulator',
    '✓ Post A dry run',
    '✓ Post A job that fails',
    '✓ Post A job that succeeds',
    '',
    'Job succeeded.',
  ]);
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^\d+ checks of the succeeded case passed$/m);
  expect(run.stdout).toMatch(/^\d+ checks of the failed case passed$/m);
  expect(run.stdout).toMatch(/^\d+ checks of the dry-run case passed$/m);
}, 240_000);

test('a check that fails fails the job, and the always() step still stops the emulator', () => {
  const workflow = join(scratch, 'broken.yml');
  writeFileSync(
    workflow,
    [
      'on: push',
      'jobs:',
      '  t:',
      '    runs-on: ubuntu-latest',
      '    env: { PROJECT: p-123456, REGION: us-central1, IMAGE: img }',
      '    steps:',
      '      - run: node scripts/self-test.ts start-emulator',
      '      - id: dry',
      '        uses: ./',
      '        with:',
      '          queue-config: examples/queue-config.yaml',
      '          project: ${{ env.PROJECT }}',
      '          region: ${{ env.REGION }}',
      '          image: ${{ env.IMAGE }}',
      '          vertex-endpoint: ${{ env.VERTEX_ENDPOINT }}',
      '          check-run: false',
      '          dry-run: true',
      '      - name: Expect a launched job from a dry run',
      '        run: node scripts/self-test.ts expect succeeded --jobs-created 1',
      '        env: { STEP: "${{ toJSON(steps.dry) }}" }',
      '      - name: Not run after a failure',
      '        run: echo unreachable',
      '      - name: Stop',
      '        if: always()',
      '        run: node scripts/self-test.ts stop-emulator',
      '',
    ].join('\n'),
  );
  const run = runLocally(workflow);
  expect(run.status).toBe(1);
  expect(run.stdout).toContain('not ok - job-state is JOB_STATE_SUCCEEDED: got undefined');
  expect(run.stdout).toContain('not ok - the emulator created 1 job(s) so far: got 0');
  expect(run.stdout).toContain('✗ Expect a launched job from a dry run');
  expect(run.stdout).toContain('- Not run after a failure (skipped: if: success())');
  expect(run.stdout).toContain('✓ Stop');
  expect(run.stdout).toMatch(/Job failed\.\n$/);
}, 120_000);

const EXPECTED = { project: 'p-123456', region: 'us-central1', image: 'img' };
const NAME = 'projects/p-123456/locations/us-central1/customJobs/42';
const record = (state: string): EmulatorRecord => ({
  jobsCreated: 1,
  calls: [],
  jobs: [{ name: NAME, state, labels: { 'managed-by': 'wb-vertex-launch' } }],
});
function step(outcome: string, outputs: Record<string, string>): StepResult {
  return { outcome, conclusion: 'success', outputs };
}

test('the checks name what differs', () => {
  const requestFile = join(scratch, 'request.json');
  writeFileSync(
    requestFile,
    JSON.stringify({
      parent: 'projects/p-123456/locations/us-central1',
      customJob: { jobSpec: { workerPoolSpecs: [{ containerSpec: { imageUri: 'img' } }] } },
    }),
  );
  const outputs = {
    'job-name': NAME,
    'job-id': '42',
    'job-state': 'JOB_STATE_SUCCEEDED',
    'job-url':
      'https://console.cloud.google.com/vertex-ai/locations/us-central1/training/42?project=p-123456',
    'image-uri': 'img',
    'request-file': requestFile,
  };
  const good = check(
    'succeeded',
    step('success', outputs),
    record('JOB_STATE_SUCCEEDED'),
    EXPECTED,
    1,
  );
  expect(good.filter((v) => !v.ok)).toEqual([]);
  expect(good.length).toBeGreaterThanOrEqual(10);

  const failed = check(
    'failed',
    step('success', outputs),
    record('JOB_STATE_SUCCEEDED'),
    EXPECTED,
    1,
  );
  expect(failed.filter((v) => !v.ok).map((v) => [v.what, v.got])).toEqual([
    ['the step failed', '"success"'],
    ['job-state is JOB_STATE_FAILED', '"JOB_STATE_SUCCEEDED"'],
    ['the emulator holds the job, in that state', '"JOB_STATE_SUCCEEDED"'],
  ]);

  const dry = check(
    'dry-run',
    step('success', outputs),
    record('JOB_STATE_SUCCEEDED'),
    EXPECTED,
    1,
  );
  expect(dry.filter((v) => !v.ok).map((v) => v.what)).toEqual([
    'no job-name: nothing was submitted',
  ]);
});

test('expressions: the subset the workflows use, anything else refused', () => {
  const ctx: ExpressionContext = {
    env: { A: 'x' },
    steps: { s: { outcome: 'failure', conclusion: 'success', outputs: { 'job-id': '7' } } },
    runner: { temp: '/t' },
    github: { workspace: '/w' },
    jobStatus: 'success',
  };
  expect(
    interpolate(
      '${{ env.A }} ${{steps.s.outputs.job-id}} ${{ steps.s.outcome }} ${{ runner.temp }}',
      ctx,
    ),
  ).toBe('x 7 failure /t');
  expect(JSON.parse(interpolate('${{ toJSON(steps.s) }}', ctx))).toEqual(ctx.steps.s);
  expect(interpolate('${{ steps.none.outputs.x }}|${{ toJSON(steps.none) }}', ctx)).toBe('|null');
  expect(() => interpolate('${{ github.event.number }}', ctx)).toThrow(/does not support/);
  expect(condition(undefined, ctx)).toBe(true);
  expect(condition('${{ always() }}', { ...ctx, jobStatus: 'failure' })).toBe(true);
  expect(condition('success()', { ...ctx, jobStatus: 'failure' })).toBe(false);
  expect(condition('failure()', { ...ctx, jobStatus: 'failure' })).toBe(true);
  expect(() => condition("github.ref == 'x'", ctx)).toThrow(/does not support/);
});
