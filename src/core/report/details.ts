// The job's details as markdown: the key/value table, the worker-pool table, the error and
// the resolved request. Shared by the job summary, the check run and the PR comment.

import {
  code,
  fenceFor,
  fenced,
  keyValueTable,
  link,
  linkMarkdown,
  table,
  text,
  truncateUtf8,
  utf8Length,
} from './format.ts';
import type { LaunchReport, PoolSummary } from './model.ts';
import { isDetached, jobDuration, stateLabel } from './outcome.ts';
import { machineCode, shortCode } from './short-values.ts';

/** Error messages are capped so that a huge one cannot crowd out the rest of a report. */
export const MAX_ERROR_BYTES = 16 * 1024;

function linksCell(report: LaunchReport): string | undefined {
  const parts = [
    report.links.console ? link('Vertex AI console', report.links.console) : undefined,
    report.links.logging ? link('Logs', report.links.logging) : undefined,
    report.links.wandb ? link('W&B run', report.links.wandb) : undefined,
  ].filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

function timeCell(t: string | undefined): string | undefined {
  return t ? code(t) : undefined;
}

/** The job's key/value table. `now` lets a running job show how long it has run so far. */
export function detailsTable(report: LaunchReport, now?: Date): string {
  const job = report.jobId ? linkMarkdown(code(report.jobId), report.links.console) : undefined;
  const duration = jobDuration(report, now);
  return keyValueTable([
    ['Job', report.dryRun ? '_dry run: not submitted_' : job],
    ['Display name', text(report.title)],
    [
      'State',
      report.state ? `${text(stateLabel(report.state))} (${code(report.state)})` : undefined,
    ],
    ['Duration', duration ? (report.endTime ? duration : `${duration} so far`) : undefined],
    ['Project', code(report.project)],
    ['Region', code(report.region)],
    ['Created', timeCell(report.createTime)],
    ['Started', timeCell(report.startTime)],
    ['Ended', timeCell(report.endTime)],
    ['Image', report.imageUri ? shortCode(report.imageUri) : undefined],
    ['Image digest', report.imageDigest ? shortCode(report.imageDigest) : undefined],
    ['Links', linksCell(report)],
  ]);
}

function accelerators(pool: PoolSummary): string {
  // UNSPECIFIED with a count of 0 is how queue configs spell "no accelerator".
  if (!pool.acceleratorType || pool.acceleratorType === 'ACCELERATOR_TYPE_UNSPECIFIED') return '—';
  return `${code(pool.acceleratorType)} × ${pool.acceleratorCount ?? '?'}`;
}

/**
 * One row per worker pool; placeholder (`{}`) pools say so. The Image column is left out when
 * every pool runs `jobImage` (the details table shows it already).
 */
export function poolsTable(pools: PoolSummary[], jobImage?: string): string {
  if (pools.length === 0) return '';
  const withImage = pools.some(
    (p) => !p.placeholder && p.image !== undefined && p.image !== jobImage,
  );
  const rows = pools.map((pool, i) => {
    const row = pool.placeholder
      ? [String(i), '_placeholder `{}`: no replicas_', '—', '0', '—']
      : [
          String(i),
          pool.machineType ? machineCode(pool.machineType) : '—',
          accelerators(pool),
          pool.replicaCount !== undefined ? String(pool.replicaCount) : '—',
          pool.image ? shortCode(pool.image) : '—',
        ];
    return withImage ? row : row.slice(0, 4);
  });
  const header = ['Pool', 'Machine', 'Accelerators', 'Replicas', 'Image'];
  return table(withImage ? header : header.slice(0, 4), rows);
}

/** The pools table under its label, or ''. */
export function poolsSection(report: LaunchReport): string {
  const pools = poolsTable(report.pools, report.imageUri);
  return pools ? `**Worker pools**\n\n${pools}` : '';
}

/** The job's error as a fenced block (no markdown inside it is interpreted), capped in size. */
export function errorBlock(report: LaunchReport): string {
  if (!report.error) return '';
  const { code: status, message } = report.error;
  const capped = truncateUtf8(message, MAX_ERROR_BYTES);
  const more = capped.length < message.length ? '\n… (error message truncated)' : '';
  const heading = status !== undefined ? `**Error** (code ${status}):` : '**Error:**';
  return `${heading}\n\n${fenced(capped + more)}`;
}

/**
 * The resolved request folded in <details>, truncated so the block stays within `maxBytes`.
 * Returns '' when there is no request or not even the truncation note fits.
 */
export function requestDetails(requestJson: string | undefined, maxBytes: number): string {
  if (!requestJson) return '';
  const wrap = (body: string, note: string) =>
    `<details><summary>Resolved request</summary>\n\n${fenced(body, 'json')}\n${note}\n</details>`;
  const whole = wrap(requestJson, '');
  if (utf8Length(whole) <= maxBytes) return whole;
  const total = utf8Length(requestJson);
  // The note's numbers are bounded by `total`, so measuring it with `total` is an upper bound.
  const note = (shown: number) =>
    `\n_Truncated: ${shown} of ${total} bytes shown. The whole request is in the file named by the \`request-file\` output._\n`;
  // The fence of a cut body is never longer than the whole body's fence.
  const fenceGrowth = 2 * (fenceFor(requestJson).length - 3);
  const overhead = utf8Length(wrap('', note(total))) + fenceGrowth;
  const room = maxBytes - overhead;
  if (room <= 0) return '';
  const body = truncateUtf8(requestJson, room);
  return wrap(body, note(utf8Length(body)));
}

/** For a job the step stopped following: where its result will come from. */
export function detachedNote(report: LaunchReport): string {
  if (!isDetached(report) || !report.jobName) return '';
  return [
    '> [!NOTE]',
    '> The step stopped following this job; it goes on in Vertex AI. Its check run stays in',
    '> progress and is completed, with this report, when a later step follows it with',
    `> \`attach: ${report.jobName}\`, or when a scheduled workflow with \`reconcile: true\` sees it end.`,
  ].join('\n');
}
