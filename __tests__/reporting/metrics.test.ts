// The metrics section of the reports: number formats, the change and its direction mark, the
// table with and without a baseline, Mermaid charts and sparklines, and where each goes.
import { commentEntry } from '../../src/core/report/comment.ts';
import { mermaidChart, sparkline, evenlySampled } from '../../src/core/report/metrics-chart.ts';
import type { MetricsReport } from '../../src/core/report/metrics-model.ts';
import {
  betterDirection,
  changeText,
  metricsSection,
} from '../../src/core/report/metrics-table.ts';
import type { LaunchReport } from '../../src/core/report/model.ts';
import {
  formatNumber,
  formatPercent,
  formatPlain,
  formatSigned,
} from '../../src/core/report/number-format.ts';
import { checkRunOutput, renderSummaryMarkdown } from '../../src/core/report/render.ts';

test('numbers: a few significant digits, grouped thousands, exponents at the extremes', () => {
  expect(formatNumber(0.30000000000000004)).toBe('0.3');
  expect(formatNumber(0.213456789)).toBe('0.2135');
  expect(formatNumber(12.3456)).toBe('12.35');
  expect(formatNumber(1234.5678)).toBe('1,234.6');
  expect(formatNumber(1234.0001)).toBe('1,234');
  expect(formatNumber(12000)).toBe('12,000');
  expect(formatNumber(-5)).toBe('-5');
  expect(formatNumber(0.0000321)).toBe('3.21e-5');
  expect(formatNumber(3.2e12 + 0.5)).toBe('3.2e12');
  expect(formatNumber(0)).toBe('0');
  expect(formatNumber(Number.NaN)).toBe('NaN');
  expect(formatNumber(-Infinity)).toBe('-∞');
  expect(formatSigned(0.5)).toBe('+0.5');
  expect(formatSigned(-0.5)).toBe('-0.5');
  expect(formatPercent(0.046)).toBe('+4.6%');
  expect(formatPercent(-2.5)).toBe('-250%');
  expect(formatPercent(0.00001)).toBe('0%');
  expect(formatPlain(0.123456789)).toBe('0.123457');
  expect(formatPlain(12345678.9)).toBe('12345679');
  expect(formatPlain(0.0000001234)).toBe('0.0000001234');
});

test('the change: arrow, signed delta, relative change; green or red where the name says which way is better', () => {
  expect(betterDirection('val_loss')).toBe('lower');
  expect(betterDirection('eval/accuracy')).toBe('higher');
  expect(betterDirection('lr')).toBeUndefined();
  expect(changeText('val_loss', 0.2, 0.25)).toBe('🟢 ▼ -0.05 (-20.0%)');
  expect(changeText('val_loss', 0.3, 0.25)).toBe('🔴 ▲ +0.05 (+20.0%)');
  expect(changeText('accuracy', 0.9, 0.8)).toBe('🟢 ▲ +0.1 (+12.5%)');
  expect(changeText('lr', 0.002, 0.001)).toBe('▲ +0.001 (+100%)');
  expect(changeText('steps', 5, 0)).toBe('▲ +5');
  expect(changeText('loss', 0.1 + 0.2, 0.3)).toBe('= no change');
  expect(changeText('loss', 0.3, undefined)).toBe('—');
  expect(changeText('loss', 'x', 0.3)).toBe('—');
  expect(changeText('loss', Number.NaN, 0.3)).toBe('—');
});

test('sparkline: the shape in block characters, evenly thinned; flat and short series', () => {
  expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▂▃▄▅▆▇█');
  expect(sparkline([3, 3, 3])).toBe('▄▄▄');
  expect(sparkline([1])).toBe('');
  expect(sparkline(Array.from({ length: 500 }, (_, i) => i))).toHaveLength(24);
  expect(evenlySampled([1, 2, 3, 4, 5], 3)).toEqual([1, 3, 5]);
});

test('mermaid chart: an xychart-beta line of the metric against the step, plain numbers, a safe title', () => {
  const chart = mermaidChart({
    name: 'val "loss"`',
    points: Array.from({ length: 200 }, (_, i) => [i * 10, 1 / (i + 1)] as [number, number]),
  });
  // The block (its settings line first), then the caption naming the line.
  const [block, caption] = chart.split('\n\n');
  const lines = block.split('\n');
  expect(lines[0]).toBe('```mermaid');
  const at = lines.indexOf('xychart-beta');
  expect(at).toBeGreaterThan(0);
  expect(lines[at + 1]).toBe(`    title "val 'loss''"`);
  expect(lines[at + 2]).toBe('    x-axis "step" 0 --> 1990');
  expect(lines[at + 3]).toMatch(/^ {4}y-axis "val 'loss''" -?[\d.]+ --> [\d.]+$/);
  const values = /line "this run" \[(.*)\]/.exec(lines[at + 4])![1].split(', ');
  expect(values).toHaveLength(40);
  expect(values.every((v) => /^-?\d+(\.\d+)?$/.test(v))).toBe(true);
  expect(lines.at(-1)).toBe('```');
  expect(caption).toBe('🟦 this run');
  expect(mermaidChart({ name: 'x', points: [[0, 1]] })).toBe('');
});

const metrics: MetricsReport = {
  run: {
    path: 'octo/resnet/new00001',
    url: 'https://wandb.ai/octo/resnet/runs/new00001',
    state: 'finished',
  },
  baseline: {
    path: 'octo/resnet/old00001',
    url: 'https://wandb.ai/octo/resnet/runs/old00001',
    label: 'main',
  },
  rows: [
    { name: 'val_loss', value: 0.2, baseline: 0.25 },
    { name: 'hist', value: { object: 'histogram' } },
    { name: 'gone' },
  ],
  history: [
    {
      name: 'val_loss',
      points: [
        [0, 1],
        [1, 0.5],
        [2, 0.2],
      ],
    },
  ],
  notes: [],
};

test('the section: heading with both runs, the table, charts or a trend column', () => {
  const mermaid = metricsSection(metrics, 'mermaid');
  expect(mermaid).toContain(
    '**W&B metrics** of [<code>octo/resnet/new00001</code>](https://wandb.ai/octo/resnet/runs/new00001) (finished), compared with [<code>octo/resnet/old00001</code>](https://wandb.ai/octo/resnet/runs/old00001) (main)',
  );
  expect(mermaid).toContain('| Metric | This run | Baseline | Change |\n|---|--:|--:|---|');
  expect(mermaid).toContain('| <code>val\\_loss</code> | 0.2 | 0.25 | 🟢 ▼ -0.05 (-20.0%) |');
  expect(mermaid).toContain('| <code>hist</code> | _histogram_ | — | — |');
  expect(mermaid).toContain('| <code>gone</code> | — | — | — |');
  expect(mermaid).toContain('```mermaid');
  const spark = metricsSection(metrics, 'sparkline');
  expect(spark).toContain('| Metric | This run | Baseline | Change | Trend |');
  expect(spark).toContain('| <code>val\\_loss</code> | 0.2 | 0.25 | 🟢 ▼ -0.05 (-20.0%) | █▄▁ |');
  expect(spark).not.toContain('mermaid');
  const alone = metricsSection(
    {
      ...metrics,
      baseline: undefined,
      baselineNote: 'No baseline: no succeeded launch from main yet.',
      history: [],
      rows: [],
    },
    'mermaid',
  );
  expect(alone).toContain('_The W&B run has no summary metrics yet._');
  expect(alone).toContain('_No baseline: no succeeded launch from main yet._');
  expect(metricsSection(undefined, 'mermaid')).toBe('');
});

test('summary and comment get the charts, the check run the sparklines', () => {
  const report: LaunchReport = {
    title: 'train',
    project: 'p',
    region: 'us-central1',
    pools: [],
    links: {},
    dryRun: false,
    state: 'JOB_STATE_SUCCEEDED',
    metrics,
  };
  expect(renderSummaryMarkdown(report)).toContain('```mermaid');
  expect(commentEntry(report, { key: 'k' }, { id: '1', attempt: 1 }).body).toContain('```mermaid');
  const check = checkRunOutput(report);
  expect(check.summary).toContain('| Trend |');
  expect(check.summary).not.toContain('mermaid');
  const plain = renderSummaryMarkdown({ ...report, metrics: undefined });
  expect(plain).not.toContain('W&B metrics');
});
