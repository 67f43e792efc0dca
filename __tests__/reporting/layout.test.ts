// What a reviewer sees first, pure: a failed job's cause before its details in every report;
// the PR comment's line per leg (state, first metric and its change, links) with the rest
// folded; tables that fit (short digests, no repeated image, machine types that do not wrap);
// charts with this run and the baseline on one step grid, named.
import { chartSeries } from '../../src/core/report/chart-series.ts';
import {
  checkRunOutput,
  commentEntry,
  commentMarker,
  parseComment,
  renderComment,
  renderSummaryMarkdown,
  withJobEntry,
  type CommentEntry,
} from '../../src/core/report/index.ts';
import { CHART_PALETTE, mermaidChart } from '../../src/core/report/metrics-chart.ts';
import type { MetricsReport } from '../../src/core/report/metrics-model.ts';
import { poolsTable } from '../../src/core/report/details.ts';
import { machineCode, shortCode, shortDigests } from '../../src/core/report/short-values.ts';
import { cells, report } from './fixtures.ts';

const DIGEST = 'sha256:9f2c4e6a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e';

const metrics: MetricsReport = {
  run: { path: 'octo/resnet/new1', url: 'https://wandb.ai/octo/resnet/runs/new1' },
  baseline: { path: 'octo/resnet/old1', label: 'main' },
  rows: [
    { name: 'val_loss', value: 0.2, baseline: 0.25 },
    { name: 'accuracy', value: 0.7, baseline: 0.8 },
  ],
  history: [
    {
      name: 'val_loss',
      points: [
        [0, 1],
        [10, 0.5],
        [20, 0.2],
      ],
      baseline: [
        [0, 1.1],
        [10, 0.6],
        [20, 0.25],
      ],
    },
  ],
  notes: [],
};

const failed = report({
  state: 'JOB_STATE_FAILED',
  startTime: '2025-01-01T10:00:00Z',
  endTime: '2025-01-01T10:03:00Z',
  error: { code: 3, message: 'The replica workerpool0-0 exited with a non-zero status of 1.' },
  logExcerpt: {
    replica: 'workerpool0-0',
    lines: Array.from({ length: 14 }, (_, i) => `line ${i}`).concat("KeyError: 'lr'"),
    errorLine: "KeyError: 'lr'",
  },
  metrics,
});

test("cause first: Vertex AI's error and the last 10 log lines come before the details in the check run, the summary and the comment entry", () => {
  const entry = commentEntry(failed, { key: 'k' }, { id: '1', attempt: 1 });
  for (const markdown of [
    checkRunOutput(failed).summary,
    renderSummaryMarkdown(failed),
    entry.body,
  ]) {
    const error = markdown.indexOf('exited with a non-zero status');
    const tail = markdown.indexOf(
      'Last 10 log lines of <code>workerpool0-0</code> (15 in the details below):',
    );
    const details = markdown.indexOf('| State |');
    expect(error).toBeGreaterThanOrEqual(0);
    expect(tail).toBeGreaterThan(error);
    expect(details).toBeGreaterThan(tail);
    // The tail holds the last 10 lines, the error line last; the first lines are folded below.
    expect(markdown.slice(tail)).toMatch(/```text\nline 5\n[\s\S]*line 13\nKeyError: 'lr'\n```/);
  }
  // Every line, folded, in the check run's text.
  expect(checkRunOutput(failed).text).toContain('<details><summary>15 log lines of');
});

test("a comment entry: the leg's line (name, headline, first metric and its change, links), the cause unfolded, the rest folded", () => {
  const marker = commentMarker('train', 'sweep');
  const entries = ['0.1', '0.01'].map((lr) =>
    commentEntry(
      { ...failed, jobName: `projects/p/locations/l/customJobs/${lr}` },
      { key: `k${lr}`, label: lr },
      { id: '1', attempt: 1 },
    ),
  );
  const body = renderComment(marker, entries, { heading: 'Vertex AI jobs: train / sweep' });
  const line = body.split('\n').find((l) => l.startsWith('**0.01** · '));
  expect(line).toBe(
    '**0.01** · ❌ Failed after 3m 0s · <code>val\\_loss</code> 0.2 🟢 ▼ -0.05 (-20.0%) against main' +
      ' · [Vertex AI](https://console.cloud.google.com/vertex-ai/locations/us-central1/training/456?project=my-proj)' +
      ' · [W&amp;B](https://wandb.ai/ent/proj/runs/abc123)',
  );
  const [, afterLine] = body.split(line!);
  const fold = afterLine.indexOf('<details><summary>Job details');
  expect(afterLine.indexOf('exited with a non-zero status')).toBeLessThan(fold);
  expect(afterLine.slice(0, fold)).not.toContain('| State |');
  expect(afterLine.slice(fold)).toMatch(
    /^<details><summary>Job details, 2 W&amp;B metrics against main \(🟢 1 better, 🔴 1 worse\), 1 chart, 1 worker pool, its last 15 log lines<\/summary>/,
  );
  for (const inside of ['| State |', '```mermaid', '**Worker pools**', '15 log lines of'])
    expect(afterLine.indexOf(inside)).toBeGreaterThan(fold);
});

test("the line's metric survives parse and render; attach keeps the leg's name; a forged metric is not shown", () => {
  const marker = commentMarker('train', 'train');
  const render = (entries: CommentEntry[]) => renderComment(marker, entries, { heading: 'h' });
  const legA = commentEntry(
    report({ metrics }),
    { key: 'a', label: 'lr 0.1' },
    { id: '1', attempt: 1 },
  );
  const legB = commentEntry(
    report({ jobName: 'projects/p/locations/l/customJobs/b' }),
    { key: 'b', label: 'lr 0.2' },
    { id: '1', attempt: 1 },
  );
  const again = render(parseComment(render([legA, legB])));
  expect(again).toContain(
    '**lr 0.1** · ⏳ Pending · <code>val\\_loss</code> 0.2 🟢 ▼ -0.05 (-20.0%) against main',
  );

  // `attach` renders with its own step's leg; the entry keeps the leg it belongs to.
  const ended = commentEntry(
    report({ jobName: legB.meta.job, state: 'JOB_STATE_SUCCEEDED', metrics }),
    { key: 'attach-step', label: 'whatever' },
    { id: '9', attempt: 1 },
  );
  const updated = render(withJobEntry(parseComment(again), legB.meta.job!, ended)!);
  expect(updated).toMatch(/^\*\*lr 0\.2\*\* · ✅ Succeeded · <code>val\\_loss<\/code> 0\.2/m);
  expect(updated).not.toContain('whatever');

  const forged = { ...legA, meta: { ...legA.meta, metric: { name: 1, value: '<b>' } as never } };
  expect(render([forged, legB])).not.toMatch(/lr 0\.1\*\* · [^\n]*<code>/);
});

test('tables fit: digests cut to 8 hex digits with the whole value as the title; a | cannot split a row; machine types never wrap', () => {
  expect(shortDigests(`us-docker.pkg.dev/p/r/t@${DIGEST}`)).toBe(
    'us-docker.pkg.dev/p/r/t@sha256:9f2c4e6a…',
  );
  expect(shortCode(DIGEST)).toBe(`<code title="${DIGEST}">sha256:9f2c4e6a…</code>`);
  expect(shortCode('short:tag')).toBe('<code>short:tag</code>');
  const long = `a|b<c>${'x'.repeat(100)}`;
  const cell = shortCode(long);
  expect(cell).toContain('title="a&#124;b&lt;c&gt;');
  expect(cells(`| k | ${cell} |`)).toHaveLength(2);
  expect(cell).toMatch(/>…x{79}<\/code>$/);
  expect(machineCode('n1-standard-4')).toBe('<code>n1-\u2060standard-\u20604</code>');

  const image = `us-docker.pkg.dev/p/r/t@${DIGEST}`;
  const same = poolsTable([{ machineType: 'n1-standard-4', replicaCount: 1, image }], image);
  expect(same.split('\n')[0]).toBe('| Pool | Machine | Accelerators | Replicas |');
  const other = poolsTable(
    [
      { machineType: 'n1-standard-4', image },
      { machineType: 'n1-highmem-2', image: 'other:1' },
    ],
    image,
  );
  expect(other.split('\n')[0]).toBe('| Pool | Machine | Accelerators | Replicas | Image |');
  expect(other).toContain(`<code title="${image}">us-docker.pkg.dev/p/r/t@sha256:9f2c4e6a…</code>`);
});

test('a chart: this run and the baseline as two named lines in the palette, a caption naming each', () => {
  const chart = mermaidChart(metrics.history[0], 'main');
  const settings = JSON.parse(/^%%\{init: (.*)\}%%$/m.exec(chart)![1]) as {
    themeVariables: { xyChart: Record<string, string> };
    xyChart: { height: number };
  };
  expect(settings.themeVariables.xyChart.plotColorPalette).toBe(CHART_PALETTE.join(', '));
  expect(settings.themeVariables.xyChart.backgroundColor).toBe('transparent');
  expect(settings.xyChart.height).toBeLessThanOrEqual(300);
  expect(chart).toContain('    line "this run" [1, 0.5, 0.2]');
  expect(chart).toContain('    line "baseline: main" [1.1, 0.6, 0.25]');
  expect(chart.endsWith('```\n\n🟦 this run · 🟧 baseline (main)')).toBe(true);
  expect(mermaidChart({ ...metrics.history[0], baseline: undefined })).toMatch(/\n\n🟦 this run$/);
});

test('two runs that logged at different steps are read at the steps both cover', () => {
  const run: Array<[number, number]> = [
    [0, 10],
    [50, 5],
    [100, 0],
  ];
  const longer: Array<[number, number]> = [
    [0, 20],
    [100, 10],
    [200, 0],
  ];
  const series = chartSeries(run, longer, 3)!;
  expect(series).toEqual({
    first: 0,
    last: 100,
    run: [10, 5, 0],
    baseline: [20, 15, 10],
    clipped: true,
  });
  expect(mermaidChart({ name: 'loss', points: run, baseline: longer }, 'main')).toContain(
    '🟧 baseline (main) · steps 0 to 100, where both logged',
  );
  // No common steps: this run alone.
  expect(
    chartSeries(
      run,
      [
        [500, 1],
        [600, 2],
      ],
      3,
    ),
  ).toEqual({ first: 0, last: 100, run: [10, 5, 0] });
  expect(chartSeries([[0, 1]], longer, 3)).toBeUndefined();
});
