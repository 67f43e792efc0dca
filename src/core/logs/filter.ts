// The Cloud Logging query that reads one Vertex AI job's entries.
//
// Reads go by receiveTimestamp, the time Cloud Logging received an entry, not by the entry's
// own timestamp: an entry that becomes visible late (a replica's logging agent flushes in
// batches) was also received late, so a read from "received since the newest entry seen, less
// a margin" still finds it, however old its timestamp. Results still come ordered by
// timestamp. A bound on timestamp keeps the scan of the log index short; it is what limits how
// late an entry may arrive and still be read while following.

import { parseJobName } from '../job.ts';

export interface LogQueryWindow {
  /** The job's numeric id (resource.labels.job_id). */
  jobId: string;
  /** No entry older than this (ms since the epoch). */
  sinceMs: number;
  /** Only entries received at or after this (ms since the epoch), when set. */
  receivedSinceMs?: number;
}

/** RFC 3339 in UTC, as the logging query language compares timestamps. */
export function rfc3339(ms: number): string {
  return new Date(Math.max(0, Math.floor(ms))).toISOString();
}

function quoted(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

export function jobLogFilter(window: LogQueryWindow): string {
  const terms = [
    'resource.type="ml_job"',
    `resource.labels.job_id=${quoted(window.jobId)}`,
    `timestamp>=${quoted(rfc3339(window.sinceMs))}`,
  ];
  if (window.receivedSinceMs !== undefined)
    terms.push(`receiveTimestamp>=${quoted(rfc3339(window.receivedSinceMs))}`);
  return terms.join(' AND ');
}

/** `projects/P/locations/L/customJobs/ID` -> its parts, or undefined when it is not one. */
export function parseCustomJobName(
  name: string,
): { project: string; location: string; jobId: string } | undefined {
  const parsed = parseJobName(name);
  return parsed && { project: parsed.project, location: parsed.location, jobId: parsed.id };
}
