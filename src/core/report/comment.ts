// The PR comment of one workflow job: one entry per job it launched on the pull request, one
// per leg (matrix combination and step). Any writer (a leg, `attach`, `reconcile`) parses the
// comment, changes its own entry and renders the whole again without knowing how the others
// were made. This file is the layout; the entries' metadata and where their bodies sit are
// the bookkeeping of comment-index.ts. Pure.

import { composeComment, LOST_BODY, type CommentEntry, type EntryMeta } from './comment-index.ts';
import { commentLayout, entryBody, lineMetric } from './comment-layout.ts';
import { link, truncateChars } from './format.ts';
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

/** The entry of one leg's launch, from its report. */
export function commentEntry(
  report: LaunchReport,
  leg: { key: string; label?: string },
  run: { id: string; attempt: number },
  now?: Date,
): CommentEntry {
  const body = entryBody(report, now)
    // GitHub may store line breaks as it likes; bodies are found again by their exact text.
    .replace(/\r\n?/g, '\n');
  const metric = lineMetric(report.metrics);
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
      ...(metric ? { metric } : {}),
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
  return a.body === b.body && JSON.stringify(a.meta) === JSON.stringify(b.meta);
}

function entryName(meta: EntryMeta): string {
  return meta.legLabel ?? meta.title;
}

function byLeg(a: CommentEntry, b: CommentEntry): number {
  return entryName(a.meta).localeCompare(entryName(b.meta)) || a.meta.leg.localeCompare(b.meta.leg);
}

/**
 * The whole comment: the marker and the index, then one entry under a heading, or several
 * under one heading with a line each (comment-layout.ts). Entries are in leg order. When the comment would pass GitHub's size limit, the largest bodies give way to a
 * pointer to the check run, never the entries themselves.
 */
export function renderComment(
  marker: string,
  entries: CommentEntry[],
  options: { heading: string; runUrl?: string },
): string {
  const sorted = [...entries].sort(byLeg);
  const footer = options.runUrl
    ? `_Last updated by ${link('this workflow run', options.runUrl)}; each job's entry is updated in place._`
    : '';
  const pieces = commentLayout(
    sorted.map((e) => e.meta),
    options.heading,
    footer,
  );
  let body = composeComment(marker, sorted, pieces);
  while (body.length > COMMENT_MAX_CHARS) {
    const largest = sorted.reduce(
      (best, e, i) => (e.body.length > sorted[best].body.length ? i : best),
      0,
    );
    if (sorted[largest].body === LOST_BODY) break;
    sorted[largest] = { ...sorted[largest], body: LOST_BODY };
    body = composeComment(marker, sorted, pieces);
  }
  // A body cut here no longer matches its index row: it reads back as LOST_BODY.
  return truncateChars(body, COMMENT_MAX_CHARS);
}
