// A job's log entry as the log follower sees it: independent of the client library's message
// types, with what ordering, dedupe and the failure excerpt need.

export interface JobLogEntry {
  /** Identity for dedupe: the same entry read twice (two pages, two reads) has the same key. */
  key: string;
  /** Sorts entries by timestamp, then insertId: fixed-width, compare as strings. */
  order: string;
  /** The entry's timestamp in milliseconds since the epoch. */
  timeMs: number;
  /** When Cloud Logging received it, ms since the epoch; undefined when the server did not say. */
  receiveMs?: number;
  /** The replica that wrote it (`workerpool0-0`), from resource.labels.task_name. */
  replica: string;
  /** A LogSeverity name: DEFAULT, INFO, ERROR, ... (container stdout arrives as INFO, stderr as ERROR). */
  severity: string;
  /** The message: textPayload, or jsonPayload.message. May hold several lines. */
  text: string;
}

/** Entries without a task name (the service's own messages) go under this name. */
export const JOB_REPLICA = 'job';

const SEVERITY_RANK: Record<string, number> = {
  DEFAULT: 0,
  DEBUG: 100,
  INFO: 200,
  NOTICE: 300,
  WARNING: 400,
  ERROR: 500,
  CRITICAL: 600,
  ALERT: 700,
  EMERGENCY: 800,
};

export function severityRank(severity: string): number {
  return SEVERITY_RANK[severity] ?? 0;
}

export function isErrorSeverity(severity: string): boolean {
  return severityRank(severity) >= SEVERITY_RANK.ERROR;
}

/** The order key of a timestamp given as seconds and nanos, and an insertId. */
export function orderKey(seconds: number, nanos: number, insertId: string): string {
  return `${String(Math.max(0, seconds)).padStart(12, '0')}.${String(Math.max(0, nanos)).padStart(9, '0')}:${insertId}`;
}

/** The entry's message split into lines; trailing blanks trimmed, an empty message is one empty line. */
export function linesOf(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  return lines.map((l) => l.replace(/\s+$/, ''));
}
