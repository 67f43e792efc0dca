// Which summary metrics a report shows, and their cells. Pure.
import type { MetricCell, MetricHistory, MetricRow } from '../report/metrics-model.ts';
import type { Summary, SummaryValue } from './summary-json.ts';

/** Shown by default: this many numeric summary metrics whose names do not start with `_`. */
export const DEFAULT_METRIC_COUNT = 10;
/** Metrics whose history is charted. */
export const CHARTED_METRIC_COUNT = 3;

/** A metric by its name; a dotted name also reaches into nested summary objects (`val.loss`). */
export function lookupMetric(summary: Summary, name: string): SummaryValue | undefined {
  if (Object.hasOwn(summary, name)) return summary[name];
  let value: SummaryValue | undefined = summary;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    if (!Object.hasOwn(value, part)) return undefined;
    value = value[part];
  }
  return value;
}

/** The names `wandb-metrics` lists (first mention wins), or the default choice. */
export function selectMetrics(summary: Summary, requested: string[]): string[] {
  if (requested.length > 0) return [...new Set(requested)];
  return Object.keys(summary)
    .filter((name) => !name.startsWith('_') && typeof summary[name] === 'number')
    .slice(0, DEFAULT_METRIC_COUNT);
}

function cellOf(value: SummaryValue | undefined): MetricCell | undefined {
  if (value === undefined) return undefined;
  if (value !== null && typeof value === 'object') {
    const type = !Array.isArray(value) && typeof value._type === 'string' ? value._type : undefined;
    return { object: type ?? (Array.isArray(value) ? 'list' : 'object') };
  }
  return value;
}

export function metricRows(names: string[], run: Summary, baseline?: Summary): MetricRow[] {
  return names.map((name) => {
    const row: MetricRow = { name };
    const value = cellOf(lookupMetric(run, name));
    if (value !== undefined) row.value = value;
    if (baseline) {
      const base = cellOf(lookupMetric(baseline, name));
      if (base !== undefined) row.baseline = base;
    }
    return row;
  });
}

/** The metrics to chart: the first few shown with a number in this run. */
export function chartedMetrics(rows: MetricRow[]): string[] {
  return rows
    .filter((r) => typeof r.value === 'number')
    .slice(0, CHARTED_METRIC_COUNT)
    .map((r) => r.name);
}

/**
 * One metric's series from sampled history rows (objects keyed by metric name, with `_step`):
 * finite values only, in step order; a row without `_step` counts by its position.
 */
export function historyOf(name: string, rows: unknown[]): MetricHistory {
  const points: Array<[number, number]> = [];
  rows.forEach((raw, i) => {
    if (raw === null || typeof raw !== 'object') return;
    const row = raw as Record<string, unknown>;
    const value = row[name];
    const step = typeof row._step === 'number' ? row._step : i;
    if (typeof value === 'number' && Number.isFinite(value)) points.push([step, value]);
  });
  points.sort((a, b) => a[0] - b[0]);
  return { name, points };
}
