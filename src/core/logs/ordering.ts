// What to print of a job's log entries, and when: each entry once, oldest first, each
// replica's lines in timestamp order. Pure; the follower feeds it pages and the clock.
//
// Entries become visible late, sometimes seconds after their timestamp, and reads overlap on
// purpose (see filter.ts), so pages repeat entries: a key per entry drops the repeats. A line
// is printed once a read that started `hold` after its timestamp has it: every earlier line of
// its replica that was at most `hold` late was visible to that read, so it sorts in before.
// Within a read, pages come in timestamp order, so a line prints as soon as the page after it
// is in, not only when the read is complete. A line later than the hold is printed anyway,
// marked late, never dropped.
//
// Why this hold: the lateness observed (receive time less timestamp) over the last minutes,
// plus a margin, within [settleMin, settleMax]. Lines that arrive in order need no hold, but an
// inversion (a line arriving after a later line of its replica) can only be seen once the later
// line has been printed: waiting for inversions to grow the hold prints the first ones out of
// order. Lateness is seen before that: when lateness varies from line to line (replicas 4-8 s
// late print lines out of order otherwise), no earlier line can arrive later than the largest
// lateness. Until entries have been seen for a minute, the few seen may understate it, so the
// hold starts at settleMax; it follows the lateness of the last `latenessWindow` from then on.

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

/** The largest lateness of one page, and when it was seen. */
interface LatenessSample {
  atMs: number;
  ms: number;
}

export class LogOrdering {
  private readonly seen = new Map<string, Seen>();
  private held: JobLogEntry[] = [];
  private readonly lastPrinted = new Map<string, string>();
  private lateness: LatenessSample[] = [];
  /** When the first entry was seen: the hold starts at its longest until entries came for a while. */
  private firstSeenMs?: number;
  /** Newest receive time over completed reads (ms); where the next read starts. */
  private cursorMs?: number;
  private readMaxMs?: number;
  /** false once any entry came without a receive time: reads then go by timestamp alone. */
  private byReceiveTime = true;
  private readonly sinceMs: number;
  /**
   * Every entry at most `hold` late with a timestamp up to this has been read: the newest
   * cutoff of a release, no later than the pages of its read so far.
   */
  vouchedMs = -Infinity;
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
    let late = 0;
    for (const entry of entries) {
      const mark = entry.receiveMs ?? entry.timeMs;
      if (entry.receiveMs === undefined) this.byReceiveTime = false;
      this.readMaxMs = Math.max(this.readMaxMs ?? mark, mark);
      if (this.seen.has(entry.key)) continue;
      this.seen.set(entry.key, { timeMs: entry.timeMs, receiveMs: entry.receiveMs });
      late = Math.max(late, (entry.receiveMs ?? nowMs) - entry.timeMs);
      this.held.push(entry);
      fresh++;
    }
    if (fresh > 0) {
      this.firstSeenMs ??= nowMs;
      this.lateness.push({ atMs: nowMs, ms: late });
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
  }

  /**
   * How long lines are held now (see the top of this file): the largest lateness of the last
   * `latenessWindow` plus the margin, within the bounds; the longest until entries have been
   * seen for a minute, or while reads go by timestamp alone (no receive times: lateness unknown).
   */
  holdMs(nowMs: number): number {
    const p = this.policy;
    this.lateness = this.lateness.filter((l) => l.atMs > nowMs - p.latenessWindowMs);
    const warming = this.firstSeenMs === undefined || nowMs - this.firstSeenMs < p.minuteMs;
    if (warming || !this.byReceiveTime) return p.settleMaxMs;
    const worst = Math.max(0, ...this.lateness.map((l) => l.ms));
    return Math.min(p.settleMaxMs, Math.max(p.settleMinMs, worst + p.settleMarginMs));
  }

  /**
   * Held entries that a read started at `readStartMs` vouches for (at least `hold` older than
   * that start), oldest first; while pages of that read are still to come, only those older
   * than `beforeMs`, the newest timestamp of its pages so far.
   */
  release(readStartMs: number, beforeMs = Infinity): ReleasedEntry[] {
    const cutoff = readStartMs - this.holdMs(readStartMs);
    this.vouchedMs = Math.max(this.vouchedMs, Math.min(cutoff, beforeMs));
    return this.take((e) => e.timeMs <= cutoff && e.timeMs < beforeMs);
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
