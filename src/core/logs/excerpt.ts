// A failed job's last lines for the report: which replica failed, its last lines, and the line
// that names the error. Pure; the follower feeds it every line it prints.
//
// The replica is picked by its error (a Python traceback first, then an error line), then by
// the last to write. Severity alone says little: Vertex AI records a container's stderr as
// ERROR, so progress bars and warnings are "errors" too; an ERROR line only counts when it
// reads like one, unless nothing else does.

import type { LogExcerpt } from '../report/model.ts';
import { isErrorSeverity, JOB_REPLICA, linesOf, type JobLogEntry } from './entry.ts';

export const EXCERPT_LINES = 30;
/** Lines kept per replica to find the error in; the excerpt shows the last EXCERPT_LINES. */
const KEPT_LINES = 400;
/** Longer lines are cut in the report (the step log has them whole). */
export const EXCERPT_LINE_MAX_CHARS = 500;

const TRACEBACK_START = /^\s*Traceback \(most recent call last\):\s*$/;
const ERRORISH =
  /\b(error|exception|fatal|failed|failure|abort(ed)?|killed|denied|not found|no such|segmentation fault|out of memory|oom)\b/i;
/** Replicas that are the service's own voice, never the failing replica if another one wrote. */
const SERVICE_REPLICAS = new Set([JOB_REPLICA, 'service']);

interface Line {
  order: string;
  text: string;
  error: boolean;
}

interface ReplicaTail {
  lines: Line[];
  lastOrder: string;
}

export class ExcerptTracker {
  private readonly replicas = new Map<string, ReplicaTail>();

  /** One printed entry (in print order; late ones sort in). */
  record(entry: JobLogEntry): void {
    const tail = this.replicas.get(entry.replica) ?? { lines: [], lastOrder: '' };
    this.replicas.set(entry.replica, tail);
    const error = isErrorSeverity(entry.severity);
    const lines = linesOf(entry.text).map((text, i) => ({
      order: `${entry.order}#${String(i).padStart(5, '0')}`,
      text,
      error,
    }));
    tail.lines.push(...lines);
    if (lines.length > 0 && tail.lines.length > lines.length) {
      const before = tail.lines[tail.lines.length - lines.length - 1];
      if (before.order > lines[0].order) tail.lines.sort((a, b) => (a.order < b.order ? -1 : 1));
    }
    if (tail.lines.length > KEPT_LINES) tail.lines.splice(0, tail.lines.length - KEPT_LINES);
    if (entry.order > tail.lastOrder) tail.lastOrder = entry.order;
  }

  /** The failing replica's last lines, or undefined when no replica wrote anything. */
  excerpt(redact: (s: string) => string = (s) => s): LogExcerpt | undefined {
    const candidates = [...this.replicas.entries()].filter(([, t]) => t.lines.length > 0);
    const workers = candidates.filter(([name]) => !SERVICE_REPLICAS.has(name));
    const pool = workers.length > 0 ? workers : candidates;
    if (pool.length === 0) return undefined;
    const ranked = pool
      .map(([replica, tail]) => ({ replica, tail, error: errorLine(tail.lines) }))
      .sort(
        (a, b) =>
          (b.error?.strength ?? 0) - (a.error?.strength ?? 0) ||
          (a.tail.lastOrder < b.tail.lastOrder ? 1 : a.tail.lastOrder > b.tail.lastOrder ? -1 : 0),
      );
    const { replica, tail, error } = ranked[0];
    const shown = tail.lines.slice(-EXCERPT_LINES).map((l) => cut(redact(l.text)));
    return {
      replica,
      lines: shown,
      ...(error ? { errorLine: cut(redact(error.text)) } : {}),
      ...(tail.lines.length > EXCERPT_LINES ? { earlierLinesOmitted: true } : {}),
    };
  }
}

function cut(line: string): string {
  return line.length > EXCERPT_LINE_MAX_CHARS
    ? `${line.slice(0, EXCERPT_LINE_MAX_CHARS - 1)}…`
    : line;
}

/**
 * The line that names the error: the exception line that ends the last Python traceback (the
 * first line after `Traceback (most recent call last):` that is not indented), else the last
 * ERROR line that reads like an error, else the last ERROR line.
 */
export function errorLine(lines: Line[]): { text: string; strength: number } | undefined {
  let traceback: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    if (!TRACEBACK_START.test(lines[i].text)) continue;
    for (let j = i + 1; j < lines.length; j++) {
      const text = lines[j].text;
      if (text.trim() === '' || /^\s/.test(text) || TRACEBACK_START.test(text)) continue;
      traceback = text.trim();
      i = j;
      break;
    }
  }
  if (traceback !== undefined) return { text: traceback, strength: 3 };
  const errors = lines.filter((l) => l.error && l.text.trim() !== '');
  const errorish = errors.filter((l) => ERRORISH.test(l.text));
  if (errorish.length > 0) return { text: errorish[errorish.length - 1].text.trim(), strength: 2 };
  if (errors.length > 0) return { text: errors[errors.length - 1].text.trim(), strength: 1 };
  return undefined;
}
