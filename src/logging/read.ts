// One ListLogEntries call (one page), with the client library's own retries off: every call
// counts against the project's read quota, so the follower alone decides when to call again.

import type { CallOptions } from 'google-gax';
import { JOB_REPLICA, orderKey, type JobLogEntry } from '../core/logs/entry.ts';
import { jobLogFilter, type LogQueryWindow } from '../core/logs/filter.ts';
import type { LoggingConnection } from './connection.ts';

export interface PageRequest {
  project: string;
  window: LogQueryWindow;
  pageSize: number;
  pageToken?: string;
  /** Newest entries first (the drain's last read); default oldest first. */
  newestFirst?: boolean;
}

export interface Page {
  entries: JobLogEntry[];
  /** Set when more pages follow. */
  nextPageToken?: string;
}

type Long = { toString(): string };
interface TimestampMessage {
  seconds?: number | string | Long | null;
  nanos?: number | null;
}
interface StructValue {
  stringValue?: string | null;
}
interface LogEntryMessage {
  logName?: string | null;
  insertId?: string | null;
  timestamp?: TimestampMessage | null;
  receiveTimestamp?: TimestampMessage | null;
  severity?: string | number | null;
  textPayload?: string | null;
  jsonPayload?: { fields?: Record<string, StructValue> | null } | null;
  resource?: { labels?: Record<string, string> | null } | null;
}

/** google.logging.type.LogSeverity names by number. */
const SEVERITY_BY_NUMBER: Record<number, string> = {
  0: 'DEFAULT',
  100: 'DEBUG',
  200: 'INFO',
  300: 'NOTICE',
  400: 'WARNING',
  500: 'ERROR',
  600: 'CRITICAL',
  700: 'ALERT',
  800: 'EMERGENCY',
};

function seconds(t: TimestampMessage | null | undefined): number | undefined {
  if (!t || t.seconds === undefined || t.seconds === null) return undefined;
  const n = Number(String(t.seconds));
  return Number.isFinite(n) ? n : undefined;
}

function ms(t: TimestampMessage | null | undefined): number | undefined {
  const s = seconds(t);
  return s === undefined ? undefined : s * 1000 + (t?.nanos ?? 0) / 1e6;
}

/** The entry as the follower sees it; undefined for an entry without a timestamp. */
export function toJobLogEntry(m: LogEntryMessage): JobLogEntry | undefined {
  const s = seconds(m.timestamp);
  if (s === undefined) return undefined;
  const nanos = m.timestamp?.nanos ?? 0;
  const insertId = m.insertId ?? '';
  const severity =
    typeof m.severity === 'number'
      ? (SEVERITY_BY_NUMBER[m.severity] ?? 'DEFAULT')
      : (m.severity ?? 'DEFAULT');
  const text = m.textPayload ?? m.jsonPayload?.fields?.message?.stringValue ?? '';
  const order = orderKey(s, nanos, insertId);
  return {
    key: `${m.logName ?? ''}\u0000${order}`,
    order,
    timeMs: s * 1000 + nanos / 1e6,
    receiveMs: ms(m.receiveTimestamp),
    replica: m.resource?.labels?.task_name || JOB_REPLICA,
    severity,
    text,
  };
}

export async function listPage(
  conn: LoggingConnection,
  request: PageRequest,
  signal?: AbortSignal,
): Promise<Page> {
  // retry: null -> exactly one call; autoPaginate: false -> one page, and its token.
  const options: CallOptions = {
    retry: null,
    autoPaginate: false,
    timeout: 60_000,
    ...(signal ? { signal } : {}),
  };
  const [entries, , response] = await conn.client.listLogEntries(
    {
      resourceNames: [`projects/${request.project}`],
      filter: jobLogFilter(request.window),
      orderBy: request.newestFirst ? 'timestamp desc' : 'timestamp asc',
      pageSize: request.pageSize,
      ...(request.pageToken ? { pageToken: request.pageToken } : {}),
    },
    options,
  );
  const mapped = (entries as LogEntryMessage[])
    .map(toJobLogEntry)
    .filter((e): e is JobLogEntry => e !== undefined);
  const next = response?.nextPageToken;
  return { entries: mapped, ...(next ? { nextPageToken: next } : {}) };
}
