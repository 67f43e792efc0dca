// The W&B results section of a report: the metrics table (this run, the baseline, the change
// with a direction mark) and the history, as Mermaid charts or as sparklines in the table.
import { code, linkMarkdown, text } from './format.ts';
import { mermaidChart, sparkline } from './metrics-chart.ts';
import type { MetricCell, MetricsReport, MetricRow, RunRef } from './metrics-model.ts';
import { formatNumber, formatPercent, formatSigned } from './number-format.ts';

export type ChartStyle = 'mermaid' | 'sparkline';

// Whether a rise is good, from the metric's name: the common names only; others get no verdict.
const LOWER_IS_BETTER =
  /^(loss|error|err|errors|perplexity|ppl|mse|mae|rmse|wer|cer|fid|latency|nll|bpd)$/;
const HIGHER_IS_BETTER =
  /^(acc|accuracy|top1|top5|f1|precision|recall|auc|auroc|map|bleu|rouge|score|reward|return|iou|miou|dice|r2)$/;

export function betterDirection(name: string): 'lower' | 'higher' | undefined {
  const words = name.toLowerCase().split(/[^a-z0-9]+/);
  if (words.some((w) => LOWER_IS_BETTER.test(w))) return 'lower';
  if (words.some((w) => HIGHER_IS_BETTER.test(w))) return 'higher';
  return undefined;
}

export function cellText(cell: MetricCell | undefined): string {
  if (cell === undefined) return '—';
  if (cell === null) return '_null_';
  if (typeof cell === 'number') return formatNumber(cell);
  if (typeof cell === 'object') return `_${text(cell.object)}_`;
  return text(String(cell));
}

/** `🟢 ▼ -0.0317 (-12.9%)`; `= no change`; `—` when either side is not a finite number. */
export function changeText(
  name: string,
  value: MetricCell | undefined,
  base: MetricCell | undefined,
): string {
  if (typeof value !== 'number' || typeof base !== 'number') return '—';
  if (!Number.isFinite(value) || !Number.isFinite(base)) return '—';
  const delta = value - base;
  // Rounding noise of the two doubles is no change.
  if (Math.abs(delta) <= 1e-12 * Math.max(Math.abs(value), Math.abs(base))) return '= no change';
  const arrow = delta > 0 ? '▲' : '▼';
  const better = betterDirection(name);
  const verdict = better === undefined ? '' : delta < 0 === (better === 'lower') ? '🟢 ' : '🔴 ';
  const relative = base !== 0 ? ` (${formatPercent(delta / Math.abs(base))})` : '';
  return `${verdict}${arrow} ${formatSigned(delta)}${relative}`;
}

function runLink(run: RunRef): string {
  return linkMarkdown(code(run.path), run.url);
}

function heading(metrics: MetricsReport): string {
  const state = metrics.run.state ? ` (${text(metrics.run.state)})` : '';
  const parts = [`**W&B metrics** of ${runLink(metrics.run)}${state}`];
  if (metrics.baseline)
    parts.push(`compared with ${runLink(metrics.baseline)} (${text(metrics.baseline.label)})`);
  return parts.join(', ');
}

function historyByName(metrics: MetricsReport): Map<string, number[]> {
  return new Map(metrics.history.map((h) => [h.name, h.points.map(([, v]) => v)]));
}

function tableOf(metrics: MetricsReport, style: ChartStyle): string {
  const withBaseline = metrics.baseline !== undefined;
  const trends = style === 'sparkline' ? historyByName(metrics) : undefined;
  const withTrend = trends !== undefined && [...trends.values()].some((v) => sparkline(v) !== '');
  const header = ['Metric', 'This run'];
  const align = ['---', '--:'];
  if (withBaseline) {
    header.push('Baseline', 'Change');
    align.push('--:', '---');
  }
  if (withTrend) {
    header.push('Trend');
    align.push('---');
  }
  const row = (r: MetricRow) => {
    const cells = [code(r.name), cellText(r.value)];
    if (withBaseline) cells.push(cellText(r.baseline), changeText(r.name, r.value, r.baseline));
    if (withTrend) cells.push(sparkline(trends.get(r.name) ?? []) || ' ');
    return `| ${cells.join(' | ')} |`;
  };
  return [`| ${header.join(' | ')} |`, `|${align.join('|')}|`, ...metrics.rows.map(row)].join('\n');
}

/**
 * The section for the job summary and PR comment (`mermaid`: charts under the table) or the
 * check run (`sparkline`: a trend column). '' without W&B results.
 */
export function metricsSection(metrics: MetricsReport | undefined, style: ChartStyle): string {
  if (!metrics) return '';
  const blocks = [heading(metrics)];
  blocks.push(
    metrics.rows.length > 0 ? tableOf(metrics, style) : '_The W&B run has no summary metrics yet._',
  );
  const notes = [...metrics.notes, ...(metrics.baselineNote ? [metrics.baselineNote] : [])];
  if (notes.length > 0) blocks.push(notes.map((n) => `_${text(n)}_`).join('<br>\n'));
  if (style === 'mermaid') {
    const charts = metrics.history.map((h) => mermaidChart(h, metrics.baseline?.label));
    blocks.push(...charts.filter(Boolean));
  }
  return blocks.join('\n\n');
}

/** A metric as one line shows it: plain text, escaped where it is rendered. */
export interface MetricAtAGlance {
  name: string;
  value: string;
  /** The change against the baseline (`🟢 ▼ -0.05 (-20.0%)`), when both are numbers. */
  change?: string;
}

/** The first metric as a leg's line in the PR comment shows it, with its baseline's name. */
export type LineMetric = MetricAtAGlance & { baseline?: string };

function plainCell(cell: MetricCell | undefined): string {
  if (cell === undefined) return '—';
  if (cell === null) return 'null';
  if (typeof cell === 'number') return formatNumber(cell);
  if (typeof cell === 'object') return cell.object;
  return String(cell);
}

/** The first metric of the table with its change, for a one-line overview; undefined without. */
export function firstMetric(metrics: MetricsReport | undefined): MetricAtAGlance | undefined {
  const row = metrics?.rows[0];
  if (!row) return undefined;
  const change = metrics.baseline ? changeText(row.name, row.value, row.baseline) : '—';
  return { name: row.name, value: plainCell(row.value), ...(change !== '—' ? { change } : {}) };
}

/** How many metrics got better and worse than the baseline, by the names' direction. */
export function verdicts(metrics: MetricsReport): { better: number; worse: number } {
  const marks = metrics.rows.map((r) => changeText(r.name, r.value, r.baseline));
  return {
    better: marks.filter((m) => m.startsWith('🟢')).length,
    worse: marks.filter((m) => m.startsWith('🔴')).length,
  };
}
