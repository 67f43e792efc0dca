// Reads a job's entries one ListLogEntries page at a time: a read is the pages of one query
// window, from the first to the one without a next page token. Keeps the calls made (for the
// per-minute budget) and when the newest complete read started (for the drain). What to print
// of each page is the ordering's answer; a failed call throws and is tried again as it was.

import type { LogQueryWindow } from '../core/logs/filter.ts';
import type { LogOrdering, ReleasedEntry } from '../core/logs/ordering.ts';
import { pruneCalls, type LogReadPolicy } from '../core/logs/pacing.ts';
import type { LoggingConnection } from './connection.ts';
import { listPage } from './read.ts';

export interface PageRead {
  /** `more-pages`: the read goes on; `done`: it is complete. */
  outcome: 'more-pages' | 'done';
  /** What may be printed now, oldest first. */
  released: ReleasedEntry[];
}

export class JobLogReader {
  /** ListLogEntries calls made, pages and failed calls included. */
  calls = 0;
  /** Start times of the calls of the last minute, ascending. */
  callTimes: number[] = [];
  /** When the newest read whose every page is in started. */
  lastCompleteStartMs?: number;
  private window?: LogQueryWindow;
  private pageToken?: string;
  private readStartMs = 0;
  /** The newest timestamp in this read's pages so far: every older entry of the read is in. */
  private readUpToMs = -Infinity;

  private readonly conn: LoggingConnection;
  private readonly project: string;
  private readonly ordering: LogOrdering;
  private readonly policy: LogReadPolicy;

  constructor(
    conn: LoggingConnection,
    project: string,
    ordering: LogOrdering,
    policy: LogReadPolicy,
  ) {
    this.conn = conn;
    this.project = project;
    this.ordering = ordering;
    this.policy = policy;
  }

  /** One page: the next of the current read, or the first of a new one. */
  async readPage(signal: AbortSignal): Promise<PageRead> {
    if (!this.window) {
      this.window = this.ordering.window();
      this.readStartMs = Date.now();
      this.readUpToMs = -Infinity;
    }
    const started = Date.now();
    this.callTimes = pruneCalls(this.callTimes, started, this.policy);
    this.callTimes.push(started);
    this.calls++;
    const page = await listPage(
      this.conn,
      {
        project: this.project,
        window: this.window,
        pageSize: this.policy.pageSize,
        pageToken: this.pageToken,
      },
      signal,
    );
    this.ordering.add(page.entries, Date.now());
    if (page.nextPageToken) {
      this.pageToken = page.nextPageToken;
      // Pages come in timestamp order: entries older than this page's newest are all in.
      for (const e of page.entries) this.readUpToMs = Math.max(this.readUpToMs, e.timeMs);
      return {
        outcome: 'more-pages',
        released: this.ordering.release(this.readStartMs, this.readUpToMs),
      };
    }
    this.ordering.completeRead();
    this.pageToken = undefined;
    this.window = undefined;
    this.lastCompleteStartMs = this.readStartMs;
    return { outcome: 'done', released: this.ordering.release(this.readStartMs) };
  }
}
