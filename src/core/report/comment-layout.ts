// What the PR comment looks like. A reviewer sees without a click, for each leg, one line: its
// name, state and duration, its first W&B metric with the change against the baseline, and
// links; under a failed leg's line, its cause (Vertex AI's error and the failing replica's last
// lines). Everything else (the job's details, all metrics, charts, worker pools, every log
// line) is folded under that line. Pure; the entries' bookkeeping is in comment.ts.
import { attemptsSection, capacityWaitNote } from './attempts.ts';
import { causeSection } from './cause.ts';
import type { EntryMeta, Piece } from './comment-index.ts';
import { detachedNote, detailsTable, poolsSection } from './details.ts';
import { code, escapeHtml, link, text } from './format.ts';
import { fullExcerptBlock } from './log-excerpt.ts';
import type { MetricsReport } from './metrics-model.ts';
import { firstMetric, metricsSection, verdicts, type LineMetric } from './metrics-table.ts';
import type { LaunchReport } from './model.ts';

export function lineMetric(metrics: MetricsReport | undefined): LineMetric | undefined {
  const first = firstMetric(metrics);
  if (!first) return undefined;
  return first.change && metrics?.baseline ? { ...first, baseline: metrics.baseline.label } : first;
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function metricsLabel(metrics: MetricsReport): string[] {
  const parts = [plural(metrics.rows.length, 'W&B metric')];
  if (metrics.baseline && metrics.rows.length > 0) {
    const { better, worse } = verdicts(metrics);
    parts[0] += ` against ${metrics.baseline.label} (🟢 ${better} better, 🔴 ${worse} worse)`;
  }
  const charts = metrics.history.filter((h) => h.points.length >= 2).length;
  if (charts > 0) parts.push(plural(charts, 'chart'));
  return parts;
}

/** The fold's summary: what is inside, so a reviewer knows whether to open it. */
function foldLabel(report: LaunchReport): string {
  const parts = ['Job details'];
  const regions = report.attempts?.length ?? 0;
  if (regions > 1) parts.push(`${regions} regions tried`);
  if (report.metrics) parts.push(...metricsLabel(report.metrics));
  const pools = report.pools.filter((p) => !p.placeholder).length;
  if (pools > 0) parts.push(plural(pools, 'worker pool'));
  if (fullExcerptBlock(report)) parts.push(`its last ${report.logExcerpt!.lines.length} log lines`);
  return escapeHtml(parts.join(', '));
}

/** The entry's own markdown: a detached job's note, a failed job's cause, then the fold. */
export function entryBody(report: LaunchReport, now?: Date): string {
  const folded = [
    detailsTable(report, now),
    attemptsSection(report, now),
    metricsSection(report.metrics, 'mermaid'),
    poolsSection(report),
    fullExcerptBlock(report),
  ]
    .filter(Boolean)
    .join('\n\n');
  const fold = `<details><summary>${foldLabel(report)}</summary>\n\n${folded}\n\n</details>`;
  return [detachedNote(report), capacityWaitNote(report, now), causeSection(report), fold]
    .filter(Boolean)
    .join('\n\n');
}

/** Metadata parsed from a comment is only trusted as far as its shape. */
function isLineMetric(m: unknown): m is LineMetric {
  const o = m as Record<string, unknown> | null;
  const optional = (v: unknown) => v === undefined || typeof v === 'string';
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.name === 'string' &&
    typeof o.value === 'string' &&
    optional(o.change) &&
    optional(o.baseline)
  );
}

function metricText(m: LineMetric): string {
  const change = m.change ? ` ${text(m.change)}` : '';
  const against = m.change && m.baseline ? ` against ${text(m.baseline)}` : '';
  return `${code(m.name)} ${text(m.value)}${change}${against}`;
}

/** A leg's line; `named` adds its name and headline (several legs share one heading). */
function legLine(meta: EntryMeta, named: boolean): string {
  const parts = named ? [`**${text(meta.legLabel ?? meta.title)}**`, text(meta.headline)] : [];
  if (isLineMetric(meta.metric)) parts.push(metricText(meta.metric));
  if (meta.console) parts.push(link('Vertex AI', meta.console));
  if (meta.wandb) parts.push(link('W&B', meta.wandb));
  return parts.join(' · ');
}

/** Blocks joined by blank lines, empty ones left out. */
function separated(blocks: (string | Piece[])[]): Piece[] {
  return blocks
    .filter((b) => b.length > 0)
    .flatMap((b, i) => [...(i > 0 ? ['\n\n'] : []), ...(typeof b === 'string' ? [b] : b)]);
}

/**
 * Where the headings, leg lines and bodies go (`{ body: i }` stands for entry i's body): one
 * entry under a heading with its headline, or several under the workflow job's heading, each
 * introduced by its line.
 */
export function commentLayout(entries: EntryMeta[], heading: string, footer: string): Piece[] {
  if (entries.length === 1) {
    const meta = entries[0];
    return separated([
      `### ${text(meta.headline)}: Vertex AI job ${text(meta.title)}`,
      legLine(meta, false),
      [{ body: 0 }],
      footer,
    ]);
  }
  const legs = entries.map((meta, i): Piece[] => [legLine(meta, true), '\n\n', { body: i }]);
  return separated([`### ${text(heading)}`, ...legs, footer]);
}
