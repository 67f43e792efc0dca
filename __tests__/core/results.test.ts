// The pure parts of the W&B results: the summary's JSON text, which metrics are shown, the
// history series, the baseline input and the base branch's job, and the sync waits.
import type { JobSnapshot } from '../../src/core/job.ts';
import {
  baselineJobFilter,
  newestBaselineJob,
  parseBaselineSetting,
  parseRunPath,
} from '../../src/core/results/baseline.ts';
import {
  chartedMetrics,
  historyOf,
  lookupMetric,
  metricRows,
  selectMetrics,
} from '../../src/core/results/select.ts';
import {
  parseSummaryMetrics,
  summaryOutput,
  summaryToJson,
  SUMMARY_OUTPUT_MAX_CHARS,
} from '../../src/core/results/summary-json.ts';
import { isSyncing, syncRetryDelays } from '../../src/core/results/sync-policy.ts';
import { giveInputs, readLaunchContext } from '../../src/github/inputs.ts';

test("summaryMetrics: Python's NaN and Infinity outside strings, kept inside strings", () => {
  const s = parseSummaryMetrics('{"a": NaN, "b": -Infinity, "c": "NaN is fine", "d": [Infinity]}');
  expect(s?.a).toBeNaN();
  expect(s?.b).toBe(-Infinity);
  expect(s?.c).toBe('NaN is fine');
  expect(s?.d).toEqual([Infinity]);
  expect(parseSummaryMetrics('[1]')).toBeUndefined();
  expect(parseSummaryMetrics('{broken')).toBeUndefined();
  expect(parseSummaryMetrics(null)).toEqual({});
  expect(summaryToJson({ a: Number.NaN, b: 1 })).toBe('{"a":"NaN","b":1}');
});

test('the wandb-summary output keeps the scalars when the whole summary is too large', () => {
  const big = { loss: 0.5, table: { _type: 'table', rows: 'x'.repeat(SUMMARY_OUTPUT_MAX_CHARS) } };
  expect(JSON.parse(summaryOutput(big))).toEqual({ loss: 0.5 });
  expect(JSON.parse(summaryOutput({ loss: 0.5 }))).toEqual({ loss: 0.5 });
});

test('default metrics: up to 10 numeric ones not starting with _, in the summary order', () => {
  const summary: Record<string, number | string | object> = {
    _step: 1,
    _runtime: 2,
    name: 'resnet',
    hist: { _type: 'histogram' },
  };
  for (let i = 0; i < 12; i++) summary[`m${i}`] = i;
  expect(selectMetrics(summary as never, [])).toEqual(
    Array.from({ length: 10 }, (_, i) => `m${i}`),
  );
  expect(selectMetrics(summary as never, ['name', 'm3', 'name'])).toEqual(['name', 'm3']);
});

test('rows: values, baseline values and structured values as their _type; dotted names reach in', () => {
  const run = { loss: 0.2, val: { acc: 0.9 }, hist: { _type: 'histogram' }, flag: true };
  expect(lookupMetric(run, 'val.acc')).toBe(0.9);
  expect(metricRows(['loss', 'val.acc', 'hist', 'flag', 'gone'], run, { loss: 0.3 })).toEqual([
    { name: 'loss', value: 0.2, baseline: 0.3 },
    { name: 'val.acc', value: 0.9 },
    { name: 'hist', value: { object: 'histogram' } },
    { name: 'flag', value: true },
    { name: 'gone' },
  ]);
  expect(
    chartedMetrics(metricRows(['hist', 'loss', 'a', 'b', 'c'], { ...run, a: 1, b: 2, c: 3 })),
  ).toEqual(['loss', 'a', 'b']);
});

test('history: finite values in step order; rows without _step count by position', () => {
  const rows = [
    { _step: 5, loss: 1 },
    { _step: 1, loss: 3 },
    { _step: 3, loss: Number.NaN },
    { loss: 2 },
    null,
  ];
  expect(historyOf('loss', rows).points).toEqual([
    [1, 3],
    [3, 2],
    [5, 1],
  ]);
});

test('wandb-baseline: base-branch, none, a run path in its W&B forms; anything else refused', () => {
  expect(parseBaselineSetting('')).toEqual({ kind: 'base-branch' });
  expect(parseBaselineSetting('base-branch')).toEqual({ kind: 'base-branch' });
  expect(parseBaselineSetting('none')).toEqual({ kind: 'none' });
  const path = { entity: 'octo', project: 'resnet', runId: 'ab12cd34' };
  expect(parseBaselineSetting('octo/resnet/ab12cd34')).toEqual({ kind: 'run', path });
  expect(parseRunPath('octo/resnet/runs/ab12cd34')).toEqual(path);
  expect(parseRunPath('https://wandb.ai/octo/resnet/runs/ab12cd34?workspace=user-x')).toEqual(path);
  expect(parseBaselineSetting('main')).toBeUndefined();
  expect(parseBaselineSetting('octo/resnet')).toBeUndefined();
  expect(parseBaselineSetting('octo//x')).toBeUndefined();
});

test('the inputs: wandb-metrics one per line; a bad wandb-baseline is a located error', async () => {
  const read = (inputs: Record<string, string>) => {
    giveInputs({ 'queue-config': '{}', region: 'us-central1', ...inputs });
    return readLaunchContext('/tmp');
  };
  const ctx = await read({ 'wandb-metrics': ' loss \n\nval/acc\n', 'wandb-baseline': 'none' });
  expect(ctx.wandb.metrics).toEqual(['loss', 'val/acc']);
  expect(ctx.wandb.baseline).toEqual({ kind: 'none' });
  const err = await read({ 'wandb-baseline': 'develop' }).catch((e: unknown) => e);
  expect((err as { problems: unknown[] }).problems).toEqual([
    {
      path: 'wandb-baseline',
      message: '"develop" is not base-branch, none, or a W&B run path ENTITY/PROJECT/RUN_ID',
    },
  ]);
});

function job(
  name: string,
  created: string,
  labels: Record<string, string>,
  state = 'JOB_STATE_SUCCEEDED',
): JobSnapshot {
  return {
    name: `projects/p/locations/l/customJobs/${name}`,
    id: name,
    displayName: name,
    state: state as JobSnapshot['state'],
    createTime: created,
    labels: {
      'managed-by': 'wb-vertex-launch',
      'github-repository': 'org_repo',
      'github-ref': 'main',
      'wandb-run-id': `run${name}`,
      ...labels,
    },
  };
}

test('the base branch job: the newest succeeded launch from the branch itself, labels checked again', () => {
  expect(baselineJobFilter('org_repo', 'Release/2.0')).toBe(
    'labels.managed-by="wb-vertex-launch" AND labels.github-repository="org_repo" AND labels.github-ref="release-2-0" AND state="JOB_STATE_SUCCEEDED"',
  );
  const jobs = [
    job('1', '2026-01-01T00:00:00Z', {}),
    job('2', '2026-01-03T00:00:00Z', {}),
    job('3', '2026-01-04T00:00:00Z', { 'github-pr': '9' }),
    job('4', '2026-01-05T00:00:00Z', {}, 'JOB_STATE_FAILED'),
    job('5', '2026-01-06T00:00:00Z', { 'github-repository': 'org_other' }),
    job('6', '2026-01-07T00:00:00Z', { 'github-ref': 'dev' }),
    job('7', '2026-01-08T00:00:00Z', { 'wandb-run-id': '' }),
    job('8', '2026-01-02T00:00:00Z', {}),
  ];
  expect(newestBaselineJob(jobs, 'org_repo', 'main')?.id).toBe('2');
  expect(newestBaselineJob(jobs, 'org_repo', 'main', jobs[1].name)?.id).toBe('8');
  expect(newestBaselineJob([], 'org_repo', 'main')).toBeUndefined();
});

test('a run is waited for only right after its job ended, and only while it may change', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  expect(syncRetryDelays('2026-01-01T11:59:00Z', now)).toEqual([5000, 10000, 20000]);
  expect(syncRetryDelays(undefined, now)).toEqual([5000, 10000, 20000]);
  expect(syncRetryDelays('2026-01-01T11:00:00Z', now)).toEqual([]);
  expect(isSyncing('running')).toBe(true);
  expect(isSyncing('finished')).toBe(false);
  expect(isSyncing('crashed')).toBe(false);
});
