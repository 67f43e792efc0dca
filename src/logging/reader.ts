// Reads a job's entries one ListLogEntries page at a time: a read is the pages of one query
// window, from the first to the one without a next page token. Keeps the calls made (for the
// per-minute budget) and when the newest complete read started (for the drain). What to print
// of each page is the ordering's answer; a failed call throws and is tried again as it was.

import type { LogQueryWindow } from '../core/logs/filter.ts';
import type { LogOrdering, ReleasedEntry } from '../core/logs/ordering.ts';
import { pruneCalls, type LogReadPolicy } from '../core/logs/pacing.ts';
import type { LoggingConnection } from './connection.ts';
import { listPage, type PageRequest } from './read.ts';

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
  /** The drain's last read, newest entries first: its window, next page and start. */
  private last?: { window: LogQueryWindow; pageToken?: string; startMs: number };

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

  private async call(request: Omit<PageRequest, 'project' | 'pageSize'>, signal: AbortSignal) {
    const started = Date.now();
    this.callTimes = pruneCalls(this.callTimes, started, this.policy);
    this.callTimes.push(started);
    this.calls++;
    const page = await listPage(
      this.conn,
      { project: this.project, pageSize: this.policy.pageSize, ...request },
      signal,
    );
    this.ordering.add(page.entries, Date.now());
    return page;
  }

  /** One page: the next of the current read, or the first of a new one. */
  async readPage(signal: AbortSignal): Promise<PageRead> {
    if (!this.window) {
      this.window = this.ordering.window();
      this.readStartMs = Date.now();
      this.readUpToMs = -Infinity;
    }
    const page = await this.call({ window: this.window, pageToken: this.pageToken }, signal);
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

  /**
   * One page of the drain's last read, newest entries first: the job's last lines come on its
   * first page instead of after every older page of the window. It is as good as a complete
   * read once its pages reach back to what earlier reads vouch for (older entries at most
   * `hold` late were visible to them); a read in progress is dropped, this one covers it.
   * An entry later than the hold with an older timestamp that arrived meanwhile is left to
   * Cloud Logging. Nothing is released here: `finish` prints what is held, in order.
   */
  async readLastPage(signal: AbortSignal): Promise<PageRead> {
    this.last ??= { window: this.ordering.window(), startMs: Date.now() };
    const { window, pageToken, startMs } = this.last;
    const page = await this.call({ window, pageToken, newestFirst: true }, signal);
    const oldest = Math.min(...page.entries.map((e) => e.timeMs));
    if (!page.nextPageToken || oldest < this.ordering.vouchedMs) {
      this.lastCompleteStartMs = startMs;
      return { outcome: 'done', released: [] };
    }
    this.last.pageToken = page.nextPageToken;
    return { outcome: 'more-pages', released: [] };
  }
}
