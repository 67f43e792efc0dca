// The PR comment of one workflow job: one entry per job it launched on the pull request, one
// per leg (matrix combination and step). Each entry carries its own metadata in a hidden HTML
// comment, so any writer (a leg, `attach`, `reconcile`) can parse the comment, change its own
// entry and render the whole again without knowing how the others were made. Pure.

import { attemptsSection, capacityWaitNote } from './attempts.ts';
import { detachedNote, detailsTable, errorBlock, poolsTable } from './details.ts';
import { link, text, truncateChars } from './format.ts';
import { logExcerptBlock } from './log-excerpt.ts';
import { metricsSection } from './metrics-table.ts';
import type { LaunchReport } from './model.ts';
import { headline } from './outcome.ts';

export const COMMENT_MAX_CHARS = 65536;

/**
 * The hidden marker that finds this workflow job's comment again. The names are
 * percent-encoded, so no `-->` from a workflow or job name can end the HTML comment early.
 */
export function commentMarker(workflow: string, job: string): string {
  return `<!-- wb-vertex-launch:${encodeURIComponent(workflow)}:${encodeURIComponent(job)} -->`;
}

export interface EntryMeta {
  /** The leg's key: the same for every attempt and run of the same step and matrix values. */
  leg: string;
  /** The matrix values, as GitHub shows them (`0.01, resnet`). */
  legLabel?: string;
  /** The job's resource name; absent when the launch failed before a job existed. */
  job?: string;
  /** The workflow run and attempt that launched the job: a newer one replaces an older one. */
  run: string;
  attempt: number;
  title: string;
  headline: string;
  console?: string;
  wandb?: string;
}

export interface CommentEntry {
  meta: EntryMeta;
  /** The entry's own markdown: details, pools, error. */
  body: string;
}

const ENTRY_START = /<!-- wbvl-entry ([A-Za-z0-9_-]+) -->\n/g;
const ENTRY_END = '\n<!-- /wbvl-entry -->';

function encodeMeta(meta: EntryMeta): string {
  return Buffer.from(JSON.stringify(meta), 'utf8').toString('base64url');
}

function decodeMeta(encoded: string): EntryMeta | undefined {
  try {
    const meta = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as EntryMeta;
    return typeof meta.leg === 'string' && typeof meta.run === 'string' ? meta : undefined;
  } catch {
    return undefined;
  }
}

/** The entries of a comment body; text outside entries (the frame) is dropped. */
export function parseComment(body: string): CommentEntry[] {
  const entries: CommentEntry[] = [];
  for (const match of body.matchAll(ENTRY_START)) {
    const start = match.index + match[0].length;
    const end = body.indexOf(ENTRY_END, start);
    const meta = decodeMeta(match[1]);
    if (end < 0 || !meta) continue;
    entries.push({ meta, body: body.slice(start, end) });
  }
  return entries;
}

/** The entry of one leg's launch, from its report. */
export function commentEntry(
  report: LaunchReport,
  leg: { key: string; label?: string },
  run: { id: string; attempt: number },
  now?: Date,
): CommentEntry {
  const pools = poolsTable(report.pools);
  const body = [
    detachedNote(report),
    capacityWaitNote(report, now),
    detailsTable(report, now),
    attemptsSection(report, now),
    metricsSection(report.metrics, 'mermaid'),
    pools ? `**Worker pools**\n\n${pools}` : '',
    errorBlock(report),
    logExcerptBlock(report),
  ]
    .filter(Boolean)
    .join('\n\n');
  return {
    meta: {
      leg: leg.key,
      ...(leg.label ? { legLabel: leg.label } : {}),
      ...(report.jobName ? { job: report.jobName } : {}),
      run: run.id,
      attempt: run.attempt,
      title: report.title,
      headline: headline(report, now),
      ...(report.links.console ? { console: report.links.console } : {}),
      ...(report.links.wandb ? { wandb: report.links.wandb } : {}),
    },
    body,
  };
}

/** Run ids are decimal numbers of any length: compare as such, then the attempt. */
function launchOrder(a: EntryMeta, b: EntryMeta): number {
  const byRun =
    a.run.length !== b.run.length ? a.run.length - b.run.length : a.run.localeCompare(b.run);
  return byRun !== 0 ? byRun : a.attempt - b.attempt;
}

/**
 * The entries with a leg's entry written in: it replaces the leg's entry unless that one comes
 * from a later run or attempt (a slower, older run never overwrites a newer one).
 * Returns undefined when nothing changes.
 */
export function withLegEntry(
  entries: CommentEntry[],
  entry: CommentEntry,
): CommentEntry[] | undefined {
  const i = entries.findIndex((e) => e.meta.leg === entry.meta.leg);
  if (i < 0) return [...entries, entry];
  if (launchOrder(entries[i].meta, entry.meta) > 0) return undefined;
  if (sameEntry(entries[i], entry)) return undefined;
  return entries.map((e, j) => (j === i ? entry : e));
}

/**
 * The entries with the entry of one job updated (`attach`, `reconcile`); the leg, run and
 * attempt stay. Undefined when no entry shows that job (it was replaced by a later launch, or
 * the comment never had it) or nothing changes.
 */
export function withJobEntry(
  entries: CommentEntry[],
  jobName: string,
  update: CommentEntry,
): CommentEntry[] | undefined {
  const i = entries.findIndex((e) => e.meta.job === jobName);
  if (i < 0) return undefined;
  const old = entries[i].meta;
  const merged: CommentEntry = {
    meta: {
      ...update.meta,
      leg: old.leg,
      run: old.run,
      attempt: old.attempt,
      ...(old.legLabel ? { legLabel: old.legLabel } : {}),
    },
    body: update.body,
  };
  if (sameEntry(entries[i], merged)) return undefined;
  return entries.map((e, j) => (j === i ? merged : e));
}

function sameEntry(a: CommentEntry, b: CommentEntry): boolean {
  return a.body === b.body && encodeMeta(a.meta) === encodeMeta(b.meta);
}

function entryName(meta: EntryMeta): string {
  return meta.legLabel ?? meta.title;
}

function byLeg(a: CommentEntry, b: CommentEntry): number {
  return entryName(a.meta).localeCompare(entryName(b.meta)) || a.meta.leg.localeCompare(b.meta.leg);
}

function wrapEntry(entry: CommentEntry, body: string): string {
  return `<!-- wbvl-entry ${encodeMeta(entry.meta)} -->\n${body}${ENTRY_END}`;
}

function overview(entries: CommentEntry[]): string {
  const rows = entries.map(({ meta }) => {
    const links = [
      meta.console ? link('Vertex AI', meta.console) : undefined,
      meta.wandb ? link('W&B', meta.wandb) : undefined,
    ].filter(Boolean);
    return `| ${text(entryName(meta))} | ${text(meta.headline)} | ${links.join(' · ') || '—'} |`;
  });
  return ['| Job | Result | Links |', '|---|---|---|', ...rows].join('\n');
}

const STUB = '_Details are in the check run and the job summary._';

function renderWith(
  marker: string,
  entries: CommentEntry[],
  bodies: string[],
  heading: string,
  footer: string,
): string {
  if (entries.length === 1) {
    const { meta } = entries[0];
    return [
      marker,
      `### ${text(meta.headline)}: Vertex AI job ${text(meta.title)}`,
      wrapEntry(entries[0], bodies[0]),
      footer,
    ]
      .filter(Boolean)
      .join('\n\n');
  }
  const sections = entries.map(
    (e, i) =>
      `<details><summary><b>${text(entryName(e.meta))}</b>: ${text(e.meta.headline)}</summary>\n\n` +
      `${wrapEntry(e, bodies[i])}\n\n</details>`,
  );
  return [marker, `### ${heading}`, overview(entries), ...sections, footer]
    .filter(Boolean)
    .join('\n\n');
}

/**
 * The whole comment: the marker, then one entry (a heading and its details) or, for several,
 * an overview table and one folded section per entry. Entries are in leg order. When the
 * comment would pass GitHub's size limit, the largest bodies give way to a pointer to the
 * check run, never the entries themselves.
 */
export function renderComment(
  marker: string,
  entries: CommentEntry[],
  options: { heading: string; runUrl?: string },
): string {
  const sorted = [...entries].sort(byLeg);
  const bodies = sorted.map((e) => e.body);
  const footer = options.runUrl
    ? `_Last updated by ${link('this workflow run', options.runUrl)}; each job's entry is updated in place._`
    : '';
  let body = renderWith(marker, sorted, bodies, options.heading, footer);
  while (body.length > COMMENT_MAX_CHARS) {
    const largest = bodies.reduce((best, b, i) => (b.length > bodies[best].length ? i : best), 0);
    if (bodies[largest] === STUB) break;
    bodies[largest] = STUB;
    body = renderWith(marker, sorted, bodies, options.heading, footer);
  }
  return truncateChars(body, COMMENT_MAX_CHARS);
}
