// W&B results in the reports, through the bundled action against the Vertex, GitHub and W&B
// stand-ins: the metrics table in the job summary, the check run and the PR comment, against
// the newest succeeded launch from the base branch; `wandb-metrics`, `wandb-baseline`; a
// refused key, an unreachable W&B, a run still syncing; no key, no request.
import { formatNumber } from '../../src/core/report/number-format.ts';
import { changeText } from '../../src/core/report/metrics-table.ts';
import { parseSummaryMetrics } from '../../src/core/results/summary-json.ts';
import { warnings } from '../action-reporting/setup.ts';
import type { ActionResult } from '../helpers/action-runner.ts';
import {
  closedPortUrl,
  PR_NUMBER,
  runOfJob,
  startResultsWorld,
  WANDB,
  type ResultsWorld,
} from './setup.ts';

let world: ResultsWorld;
beforeAll(async () => {
  world = await startResultsWorld();
});
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  world.vertex.reset();
  world.resetWandb();
  await world.resetGitHub();
});

const runIdOf = (result: ActionResult) => result.outputs['wandb-run-url'].split('/').pop()!;
const pathOf = (runId: string) => `${WANDB.entity}/${WANDB.project}/${runId}`;
const comment = () =>
  [...world.github.comments.values()].find((c) => c.issue === PR_NUMBER)?.body ?? '';
const checkRun = () => [...world.github.checkRuns.values()].at(-1)!;
const num = (v: unknown) => formatNumber(v as number);
const TABLE_WITH_BASELINE = '| Metric | This run | Baseline | Change |';

function seedMainJob(labels: Record<string, string>, scenario: string, agoMs: number): void {
  world.vertex.seedJob({
    parent: 'projects/my-proj-1/locations/us-central1',
    customJob: {
      displayName: 'seeded',
      jobSpec: {
        workerPoolSpecs: [
          {
            machineSpec: { machineType: 'n1-standard-4' },
            replicaCount: 1,
            containerSpec: { imageUri: 'x' },
          },
        ],
      },
      labels: {
        'managed-by': 'wb-vertex-launch',
        'github-repository': 'org_repo',
        'github-ref': 'main',
        ...labels,
      },
    },
    scenario,
    agoMs,
    tickMs: 1,
  });
}

test('a PR launch against the newest succeeded launch from main: the table in the summary, the check run and the comment', async () => {
  const main = await world.launchMain();
  expect(main.code).toBe(0);
  const baseId = runIdOf(main);
  // Newer jobs that are no baseline: a failed launch from main, a PR whose head branch is
  // named main, another repository's launch.
  seedMainJob({ 'wandb-run-id': 'failed01' }, 'fail', 0);
  seedMainJob({ 'wandb-run-id': 'prmain01', 'github-pr': '99' }, 'succeed', 0);
  seedMainJob({ 'wandb-run-id': 'other001', 'github-repository': 'org_other' }, 'succeed', 0);
  await new Promise((r) => setTimeout(r, 100)); // the seeded jobs end

  const pr = await world.launchPr({ 'pr-comment': 'true' });
  expect(pr.errors).toEqual([]);
  expect(pr.code).toBe(0);
  const runId = runIdOf(pr);
  const mine = runOfJob(runId, 'feature').summary!;
  const theirs = runOfJob(baseId, 'main').summary!;

  // The baseline was found by labels, in the job's own project and region.
  const lists = world.vertex
    .record()
    .calls.filter(
      (c) => c.method === 'ListCustomJobs' && String(c.request.filter).includes('github-ref'),
    );
  expect(lists).toHaveLength(1);
  expect(lists[0].request.filter).toBe(
    'labels.managed-by="wb-vertex-launch" AND labels.github-repository="org_repo" AND labels.github-ref="main" AND state="JOB_STATE_SUCCEEDED"',
  );

  const expectTable = (markdown: string) => {
    expect(markdown).toContain(`**W&B metrics** of [<code>${pathOf(runId)}</code>]`);
    expect(markdown).toContain(`compared with [<code>${pathOf(baseId)}</code>]`);
    expect(markdown).toContain(TABLE_WITH_BASELINE);
    const valLoss = `| <code>val\\_loss</code> | ${num(mine.val_loss)} | ${num(theirs.val_loss)} | ${changeText('val_loss', mine.val_loss as number, theirs.val_loss as number)} |`;
    expect(markdown).toContain(valLoss);
    // The PR's model is better: lower loss, higher accuracy, both marked green.
    expect(changeText('val_loss', mine.val_loss as number, theirs.val_loss as number)).toMatch(
      /^🟢 ▼ -/,
    );
    expect(
      changeText('val_accuracy', mine.val_accuracy as number, theirs.val_accuracy as number),
    ).toMatch(/^🟢 ▲ \+/);
    // Default choice: numeric, not `_`-prefixed.
    expect(markdown).toContain('<code>lr</code>');
    expect(markdown).not.toContain('<code>\\_runtime</code>');
    // No 17-digit floats anywhere in the table.
    expect(markdown).not.toMatch(/\d\.\d{8,}/);
  };

  expectTable(pr.summary);
  // A chart's settings line comes before its type; the baseline's line is beside this run's.
  const chart = /```mermaid\n(?:%%\{init: .*\}%%\n)?xychart-beta\n/;
  expect(pr.summary).toMatch(chart);
  expect(pr.summary).toContain('title "loss"');
  expect(pr.summary).toMatch(/ {4}line "this run" \[[\d., ]+\]\n {4}line "baseline: main" \[/);

  const run = checkRun();
  expect(run.output.summary).toBeDefined();
  expectTable(run.output.summary!);
  expect(run.output.summary).toContain('| Metric | This run | Baseline | Change | Trend |');
  expect(run.output.summary).toMatch(/\| [▁▂▃▄▅▆▇█]{10,} \|/);
  expect(run.output.summary).not.toContain('mermaid');

  expectTable(comment());
  expect(comment()).toMatch(chart);

  // The wandb-summary output: the run's summary metrics, as JSON.
  const output = parseSummaryMetrics(pr.outputs['wandb-summary'] ?? '');
  expect(output).toEqual(JSON.parse(JSON.stringify(mine)));
  expect(warnings(pr)).toEqual([]);
}, 60_000);

test('wandb-metrics picks the rows, in order; a metric the run lacks says so', async () => {
  const result = await world.launchPr({
    'wandb-metrics': 'val_accuracy\nloss\nnot_logged',
    'wandb-baseline': 'none',
  });
  expect(result.code).toBe(0);
  const rows = result.summary.split('\n').filter((l) => l.startsWith('| <code>'));
  expect(rows.map((r) => r.split('|')[1].trim())).toEqual([
    '<code>val\\_accuracy</code>',
    '<code>loss</code>',
    '<code>not\\_logged</code>',
  ]);
  expect(rows[2]).toContain('| — |');
  expect(result.summary).toContain("Not in the run's summary: not\\_logged.");
  expect(result.summary).toContain('| Metric | This run |\n');
});

test('wandb-baseline: none lists no jobs and has no baseline column; a run path is read from W&B', async () => {
  const none = await world.launchPr({ 'wandb-baseline': 'none' });
  expect(none.code).toBe(0);
  expect(none.summary).toContain('| Metric | This run |\n');
  expect(none.summary).not.toContain('compared with');
  const lists = world.vertex.record().calls.filter((c) => c.method === 'ListCustomJobs');
  expect(lists).toHaveLength(0);

  world.wandb.addRun('octo-team/vertex-runs/handpick', {
    summary: { loss: 0.5, val_loss: 0.75, val_accuracy: 0.5, lr: 0.001, epoch: 9 },
  });
  const explicit = await world.launchPr({ 'wandb-baseline': 'octo-team/vertex-runs/handpick' });
  expect(explicit.code).toBe(0);
  expect(explicit.summary).toContain('compared with [<code>octo-team/vertex-runs/handpick</code>]');
  expect(explicit.summary).toContain(TABLE_WITH_BASELINE);
  expect(explicit.summary).toMatch(/\| <code>val\\_loss<\/code> \| [\d.]+ \| 0\.75 \| 🟢 ▼ -/);
});

test('no baseline yet: the table says why', async () => {
  const result = await world.launchPr();
  expect(result.code).toBe(0);
  expect(result.summary).toContain('No baseline: no succeeded launch from main yet.');
});

test('a refused key is one warning; the job succeeded, so exit 0, and the report goes out without metrics', async () => {
  const result = await world.launchPr({ 'wandb-api-key': 'wrong-key-0000000000' });
  expect(result.code).toBe(0);
  expect(result.outputs['job-state']).toBe('JOB_STATE_SUCCEEDED');
  const refused = warnings(result).filter((w) => w.includes('W&B results'));
  expect(refused).toHaveLength(1);
  expect(refused[0]).toMatch(/refused the wandb-api-key \(HTTP 401\)/);
  expect(refused[0]).toContain('Check the wandb-api-key secret');
  expect(result.summary).not.toContain('W&B metrics');
  expect(result.summary).toContain('Succeeded');
  expect(result.outputs['wandb-summary']).toBeUndefined();
  // A refusal is not retried.
  expect(world.wandb.requests).toHaveLength(1);
});

test('an unreachable W&B is one warning after a bounded number of tries; exit 0', async () => {
  const result = await world.launchPr({ 'wandb-base-url': await closedPortUrl() });
  expect(result.code).toBe(0);
  const unreachable = warnings(result).filter((w) => w.includes('W&B results'));
  expect(unreachable).toHaveLength(1);
  expect(unreachable[0]).toMatch(
    /cannot reach http:\/\/127\.0\.0\.1:\d+\/graphql \(ECONNREFUSED\)/,
  );
  expect(unreachable[0]).toContain('Check wandb-base-url');
  expect(result.stdout.match(/reading it again/g)).toHaveLength(3);
  expect(result.summary).not.toContain('W&B metrics');
});

test('a run still syncing when the job ends is read again until it is there', async () => {
  world.runFor = (runId) => ({
    ...runOfJob(runId, 'feature'),
    appearAfterReads: 1,
    runningForReads: 1,
  });
  const result = await world.launchPr({ 'wandb-baseline': 'none' });
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('W&B has no such run yet; reading it again');
  expect(result.stdout).toContain('the run is still running; reading it again');
  expect(result.summary).toContain('W&B metrics');
  expect(result.summary).toContain('(finished)');
  expect(world.wandb.requests.filter((r) => r.operationName === 'Run')).toHaveLength(3);
  expect(warnings(result)).toEqual([]);
});

test('a run that never appears: a warning after 4 reads, exit 0', async () => {
  world.runFor = () => undefined;
  const result = await world.launchPr({ 'wandb-baseline': 'none' });
  expect(result.code).toBe(0);
  expect(world.wandb.requests.filter((r) => r.operationName === 'Run')).toHaveLength(4);
  const missing = warnings(result).filter((w) => w.includes('W&B has no run'));
  expect(missing).toHaveLength(1);
  expect(missing[0]).toContain(`${WANDB.entity}/${WANDB.project}/`);
  expect(result.summary).not.toContain('W&B metrics');
});

test('without a key no W&B request is made', async () => {
  const result = await world.launchPr({ 'wandb-api-key': '' });
  expect(result.code).toBe(0);
  expect(world.wandb.requests).toHaveLength(0);
  expect(result.summary).not.toContain('W&B metrics');
  expect(result.outputs['wandb-summary']).toBeUndefined();
});

test('a failed job still shows what its run logged; the step fails for the job, not for W&B', async () => {
  world.vertex.queueScenarios('fail');
  const result = await world.launchPr({ 'wandb-baseline': 'none' });
  expect(result.code).toBe(1);
  expect(result.summary).toContain('W&B metrics');
  expect(warnings(result).filter((w) => w.includes('W&B'))).toEqual([]);
});
