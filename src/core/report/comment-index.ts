// The PR comment's bookkeeping, kept apart from its layout (comment.ts). The comment's body
// is the marker line, then ONE index line: a hidden block with every entry's metadata and the
// place of its body in the text below. A comment is read from that index alone, and each body
// is cut out by its place: nothing inside a body is ever parsed. A body holds text the job
// wrote (its error, its last log lines), and sits below the index, so nothing it holds can
// add an entry, change one's metadata, or move a body. (Which comments are the action's at
// all is decided by their author: see src/reporting/pr-comment.ts.) Pure.

import { createHash } from 'node:crypto';
import type { LineMetric } from './metrics-table.ts';

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
  /** The first W&B metric and its change, for the leg's line. */
  metric?: LineMetric;
}

export interface CommentEntry {
  meta: EntryMeta;
  /** The entry's own markdown: a failed job's cause, then its details folded. */
  body: string;
}

/** A piece of the rendered comment: layout text, or the body of entry number `body`. */
export type Piece = string | { body: number };

/** What a body whose place no longer holds it (the comment was cut, or edited) becomes. */
export const LOST_BODY = '_Details are in the check run and the job summary._';

const VERSION = 1;
// Base64url has no `>`, so the block cannot end early; anchored at the body's start, below
// the marker, so nothing later in the comment can stand in for it.
const HEAD = /^(<!-- wb-vertex-launch:[^\s]* -->)\n<!-- wbvl-index ([A-Za-z0-9_-]*) -->\n/;

interface IndexRow {
  meta: EntryMeta;
  /** Start and end of the body, in UTF-16 units from the end of the index line. */
  at: [number, number];
  /** The body's digest: a place that no longer holds that body is not trusted. */
  sha: string;
}

function digest(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex').slice(0, 16);
}

/**
 * The comment's text: the marker, the index, then the pieces in order. Every entry's body
 * must appear in the pieces exactly once.
 */
export function composeComment(marker: string, entries: CommentEntry[], pieces: Piece[]): string {
  const at: [number, number][] = [];
  let text = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      text += piece;
      continue;
    }
    const start = text.length;
    text += entries[piece.body].body;
    at[piece.body] = [start, text.length];
  }
  const rows: IndexRow[] = entries.map((e, i) => {
    if (!at[i]) throw new Error(`comment layout: entry ${i} has no body`);
    return { meta: e.meta, at: at[i], sha: digest(e.body) };
  });
  const index = Buffer.from(JSON.stringify({ v: VERSION, entries: rows }), 'utf8').toString(
    'base64url',
  );
  return `${marker}\n<!-- wbvl-index ${index} -->\n${text}`;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const optionalString = (v: unknown) => v === undefined || isString(v);

function validMeta(m: unknown): m is EntryMeta {
  if (typeof m !== 'object' || m === null) return false;
  const meta = m as Record<string, unknown>;
  return (
    isString(meta.leg) &&
    isString(meta.run) &&
    /^\d+$/.test(meta.run) &&
    Number.isInteger(meta.attempt) &&
    isString(meta.title) &&
    isString(meta.headline) &&
    ['legLabel', 'job', 'console', 'wandb'].every((k) => optionalString(meta[k]))
  );
}

function validRow(r: unknown): r is IndexRow {
  const row = r as Partial<IndexRow> | null;
  return (
    typeof row === 'object' &&
    row !== null &&
    validMeta(row.meta) &&
    Array.isArray(row.at) &&
    row.at.length === 2 &&
    row.at.every((n) => Number.isInteger(n) && n >= 0) &&
    row.at[0] <= row.at[1] &&
    isString(row.sha)
  );
}

function decodeIndex(encoded: string): IndexRow[] {
  try {
    const index = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as {
      v?: unknown;
      entries?: unknown;
    };
    if (index.v !== VERSION || !Array.isArray(index.entries)) return [];
    return index.entries.every(validRow) ? index.entries : [];
  } catch {
    return [];
  }
}

/**
 * The entries of a comment, from its index only; a comment without one (not the action's, or
 * an older layout) has none. A body whose place does not hold it any more is LOST_BODY.
 */
export function parseComment(body: string): CommentEntry[] {
  const head = HEAD.exec(body);
  if (!head) return [];
  const rest = body.slice(head[0].length);
  return decodeIndex(head[2]).map(({ meta, at, sha }) => {
    const slice = rest.slice(at[0], at[1]);
    const whole = at[1] <= rest.length && digest(slice) === sha;
    return { meta, body: whole ? slice : LOST_BODY };
  });
}
