// What to print of a job's log entries, and when: each entry once, oldest first, each
// replica's lines in timestamp order. Pure; the follower feeds it pages and the clock.
//
// Entries become visible late, sometimes seconds after their timestamp, and reads overlap on
// purpose (see filter.ts), so pages repeat entries: a key per entry drops the repeats. A line
// is printed only once a read that started `settle` after its timestamp has completed: a
// line of the same replica that was up to `settle` late was visible to that read, so it sorts
// in before. Lateness alone does no harm while a replica's lines arrive in their order (a
// logging agent flushes them in batches), so the hold grows only with the inversions seen in
// the last minute: a line that arrived after a later line of its replica, by how much it would
// have been printed too early. A line later still is printed anyway, marked late, not dropped.

import type { JobLogEntry } from './entry.ts';
import type { LogQueryWindow } from './filter.ts';
import type { LogReadPolicy } from './pacing.ts';

export interface ReleasedEntry {
  entry: JobLogEntry;
  /** An earlier line of its replica was printed already: this one is out of order. */
  late: boolean;
}

interface Seen {
  timeMs: number;
  receiveMs?: number;
}

export class LogOrdering {
  private readonly seen = new Map<string, Seen>();
  private held: JobLogEntry[] = [];
  private readonly lastPrinted = new Map<string, string>();
  private inversions: { atMs: number; ms: number }[] = [];
  /** Timestamps of the entries seen per replica, ascending, while reads may still return them. */
  private readonly replicaTimes = new Map<string, number[]>();
  /** Newest receive time over completed reads (ms); where the next read starts. */
  private cursorMs?: number;
  private readMaxMs?: number;
  /** false once any entry came without a receive time: reads then go by timestamp alone. */
  private byReceiveTime = true;
  private readonly sinceMs: number;
  /** The largest lateness seen (received minus timestamp), ms. */
  maxLatenessMs = 0;
  private readonly jobId: string;
  private readonly policy: LogReadPolicy;

  constructor(jobId: string, sinceMs: number, policy: LogReadPolicy) {
    this.jobId = jobId;
    this.sinceMs = sinceMs;
    this.policy = policy;
  }

  /** The query window of the next read. */
  window(): LogQueryWindow {
    if (this.cursorMs === undefined) return { jobId: this.jobId, sinceMs: this.sinceMs };
    if (!this.byReceiveTime) {
      // No receive times: overlap by timestamp instead, as far back as a line may be held.
      const back = this.policy.receiveMarginMs + this.policy.settleMaxMs;
      return { jobId: this.jobId, sinceMs: Math.max(this.sinceMs, this.cursorMs - back) };
    }
    return {
      jobId: this.jobId,
      sinceMs: Math.max(this.sinceMs, this.cursorMs - this.policy.lateLimitMs),
      receivedSinceMs: this.cursorMs - this.policy.receiveMarginMs,
    };
  }

  /** Takes one page of a read; returns how many of its entries were new. */
  add(entries: JobLogEntry[], nowMs: number): number {
    let fresh = 0;
    for (const entry of entries) {
      const mark = entry.receiveMs ?? entry.timeMs;
      if (entry.receiveMs === undefined) this.byReceiveTime = false;
      this.readMaxMs = Math.max(this.readMaxMs ?? mark, mark);
      if (this.seen.has(entry.key)) continue;
      this.seen.set(entry.key, { timeMs: entry.timeMs, receiveMs: entry.receiveMs });
      if (entry.receiveMs !== undefined)
        this.maxLatenessMs = Math.max(this.maxLatenessMs, entry.receiveMs - entry.timeMs);
      this.noteInversion(entry, nowMs);
      this.held.push(entry);
      fresh++;
    }
    return fresh;
  }

  /**
   * Every page of a read is in: the next read may start later. Only now, because a read's
   * pages come in timestamp order, not in the order of receipt.
   */
  completeRead(): void {
    if (this.readMaxMs !== undefined)
      this.cursorMs = Math.max(this.cursorMs ?? this.readMaxMs, this.readMaxMs);
    this.readMaxMs = undefined;
    // Keys of entries the next read cannot return any more are not needed for dedupe.
    const next = this.window();
    for (const [key, s] of this.seen) {
      const outOfReceive =
        next.receivedSinceMs !== undefined &&
        s.receiveMs !== undefined &&
        s.receiveMs < next.receivedSinceMs;
      if (outOfReceive || s.timeMs < next.sinceMs) this.seen.delete(key);
    }
    // Timestamps far older than the hold cannot take part in an inversion that matters.
    const keepFrom = (this.cursorMs ?? 0) - this.policy.lateLimitMs;
    for (const [replica, times] of this.replicaTimes) {
      const drop = times.findIndex((t) => t >= keepFrom);
      if (drop > 0) times.splice(0, drop);
      else if (drop < 0) this.replicaTimes.delete(replica);
    }
  }

  /**
   * A line that arrives after a later line of its replica was seen: it needed a hold of its
   * arrival (receive time, else now) less the timestamp of the next line.
   */
  private noteInversion(entry: JobLogEntry, nowMs: number): void {
    const times = this.replicaTimes.get(entry.replica) ?? [];
    this.replicaTimes.set(entry.replica, times);
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] <= entry.timeMs) lo = mid + 1;
      else hi = mid;
    }
    if (lo < times.length) {
      const arrived = entry.receiveMs ?? nowMs;
      this.inversions.push({ atMs: nowMs, ms: Math.max(0, arrived - times[lo]) });
    }
    times.splice(lo, 0, entry.timeMs);
  }

  /** How long lines are held now: the inversions of the last minute, within the bounds. */
  settleMs(nowMs: number): number {
    this.inversions = this.inversions.filter((l) => l.atMs > nowMs - this.policy.minuteMs);
    const worst = Math.max(0, ...this.inversions.map((l) => l.ms));
    return Math.min(this.policy.settleMaxMs, Math.max(this.policy.settleMinMs, worst));
  }

  /**
   * Held entries that a completed read started at `readStartMs` vouches for (at least
   * `settle` older than that start), oldest first.
   */
  release(readStartMs: number): ReleasedEntry[] {
    const cutoff = readStartMs - this.settleMs(readStartMs);
    return this.take((e) => e.timeMs <= cutoff);
  }

  /** Everything held, oldest first: following has stopped. */
  flush(): ReleasedEntry[] {
    return this.take(() => true);
  }

  /** Lines held and not printed yet. */
  get pending(): number {
    return this.held.length;
  }

  private take(ready: (e: JobLogEntry) => boolean): ReleasedEntry[] {
    this.held.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
    const out: ReleasedEntry[] = [];
    const keep: JobLogEntry[] = [];
    for (const entry of this.held) {
      if (!ready(entry)) {
        keep.push(entry);
        continue;
      }
      const last = this.lastPrinted.get(entry.replica);
      const late = last !== undefined && entry.order < last;
      if (!late) this.lastPrinted.set(entry.replica, entry.order);
      out.push({ entry, late });
    }
    this.held = keep;
    return out;
  }
}
