// When to read a job's Cloud Logging entries again. Pure: the log follower supplies the clock
// and its history of calls; tests replay hours of reading instantly.
//
// ListLogEntries, paged and paced, rather than TailLogEntries. The evidence:
//  - Quota. Cloud Logging allows 60 entries.list (ListLogEntries) requests per minute per
//    project, not raisable, shared by every reader of the project: each leg of a matrix, the
//    console's Logs Explorer, other tools. TailLogEntries allows 10 open live-tailing sessions
//    per project (and 60,000 tailed entries per minute): a matrix of 10 legs would hold every
//    session, and the 11th leg, or a person live-tailing in the console, would be refused.
//  - Latency. A tail session delivers entries about 2 s (its default buffer_window) after they
//    arrive. Polling List every 12 s prints an entry 6 s after it becomes visible on average
//    and at most 12 s (plus the call), within the 15 s this action aims for.
//  - Calls. A tail is one long call, but the client caps it at an hour (its TailLogEntries
//    timeout) and a runner's network drops long streams, and it only delivers entries that
//    arrive after it opens: history (a re-run, `attach`, the `logs` command) and every gap
//    after a reconnect need List anyway. Polling costs 5 calls per job-minute.
//  So List it is: one code path for following, catching up and reading a finished job.
//
// `gcloud ai custom-jobs stream-logs` also polls List, every 60 s by default
// (--polling-interval), ascending from the last (timestamp, insertId) seen and only up to
// 5 s before now; an entry that becomes visible later than that is skipped for good. This
// follower reads instead by the time Cloud Logging received entries (see filter.ts), so a late
// entry is still read, and holds lines as long as entries are late (ordering.ts), so that each
// replica prints in order.

export interface LogReadPolicy {
  /** Between the end of one read and the start of the next while following. */
  intervalMs: number;
  /** Between pages of one read, when a page came back full. */
  pageIntervalMs: number;
  /** At most this many calls (pages included) in any rolling minute, whatever happens. */
  maxCallsPerMinute: number;
  /** The minute of maxCallsPerMinute (and how long the hold starts at its longest). */
  minuteMs: number;
  /** First wait after RESOURCE_EXHAUSTED or a transient failure; doubles per failure in a row. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Waits vary by +-this fraction, so the legs of a matrix do not read in lockstep. */
  jitter: number;
  /** A line prints once a read starting this long after its timestamp has it, so late lines sort in. */
  settleMinMs: number;
  /** The hold follows the lateness seen lately (see ordering.ts), up to this. */
  settleMaxMs: number;
  /** Added to the largest lateness seen: visibility trails the receive time a little. */
  settleMarginMs: number;
  /** The lateness of this long ago still counts for the hold. */
  latenessWindowMs: number;
  /**
   * After the job ends, one complete read that starts `hold` after the end has its last lines;
   * reads stop being paced for it this long after following stops (and give up as long again).
   */
  drainMaxMs: number;
  /** Entries received within this margin before the newest one seen are read again (and deduped). */
  receiveMarginMs: number;
  /** Entries received this long after their own timestamp are out of reach of a follow read. */
  lateLimitMs: number;
  /** Entries per page (the API's maximum is 1000). */
  pageSize: number;
}

/** Limits of the Cloud Logging API, as documented on its quotas page. */
export const CLOUD_LOGGING_LIMITS = {
  /** entries.list (ListLogEntries) requests per minute per project; cannot be raised. */
  listRequestsPerMinutePerProject: 60,
  /** Open TailLogEntries sessions per project. */
  tailSessionsPerProject: 10,
  /** Page tokens expire after 24 hours. */
  pageTokenLifetimeMs: 24 * 3_600_000,
  maxPageSize: 1000,
} as const;

export const DEFAULT_LOG_READ_POLICY: LogReadPolicy = {
  // 12 s: 5 reads per job-minute. Ten legs of a matrix in one project read 50 times a minute,
  // under the 60 allowed, with room left for a person in the console.
  intervalMs: 12_000,
  // A full page means the job writes more than 1,000 entries per read: the next page follows
  // as soon as maxCallsPerMinute allows.
  pageIntervalMs: 3_000,
  // Every call counts, pages, drain reads and retries alike: 5 in any rolling minute, so ten
  // legs never pass 50 of the project's 60, whatever each one is doing.
  maxCallsPerMinute: 5,
  minuteMs: 60_000,
  backoffBaseMs: 15_000,
  backoffMaxMs: 120_000,
  jitter: 0.1,
  // A line waits for a read that starts `hold` after its timestamp: with reads every 12 s, a
  // line prints hold + up to 12 s after its timestamp. The hold is the lateness seen plus 2 s:
  // entries up to 10 s late keep their order; later ones are printed, marked late.
  settleMinMs: 3_000,
  settleMaxMs: 12_000,
  settleMarginMs: 2_000,
  latenessWindowMs: 5 * 60_000,
  drainMaxMs: 60_000,
  receiveMarginMs: 10_000,
  lateLimitMs: 10 * 60_000,
  pageSize: CLOUD_LOGGING_LIMITS.maxPageSize,
};

/** Multiplies every duration of the policy (a fast emulator in tests); counts stay. */
export function scalePolicy(policy: LogReadPolicy, scale: number): LogReadPolicy {
  const out = { ...policy };
  for (const key of Object.keys(out) as (keyof LogReadPolicy)[]) {
    if (key.endsWith('Ms')) out[key] = policy[key] * scale;
  }
  return out;
}

/** `ms` varied by +-policy.jitter; `random` returns [0, 1). */
export function jittered(ms: number, policy: LogReadPolicy, random: () => number): number {
  return ms * (1 + policy.jitter * (2 * random() - 1));
}

/**
 * The smallest wait from `now` after which one more call keeps every rolling minute within
 * `maxCallsPerMinute`. `callTimes` are the earlier calls' start times, ascending.
 */
export function budgetWait(now: number, callTimes: number[], policy: LogReadPolicy): number {
  const recent = callTimes.filter((t) => t > now - policy.minuteMs);
  if (recent.length < policy.maxCallsPerMinute) return 0;
  // The call that must leave the window before another fits.
  const oldest = recent[recent.length - policy.maxCallsPerMinute];
  return Math.max(0, oldest + policy.minuteMs - now);
}

/** Drops call times that no longer count for any rolling minute. */
export function pruneCalls(callTimes: number[], now: number, policy: LogReadPolicy): number[] {
  return callTimes.filter((t) => t > now - policy.minuteMs);
}

export type ReadOutcome =
  /** A page came back and more pages follow. */
  | 'more-pages'
  /** The read is complete. */
  | 'done'
  /** RESOURCE_EXHAUSTED: the project's read quota is used up for now. */
  | 'exhausted'
  /** UNAVAILABLE, DEADLINE_EXCEEDED and the like. */
  | 'transient';

/**
 * Wait before the next call. `failures` counts exhausted/transient outcomes in a row
 * (including this one). The per-minute budget always applies on top.
 */
export function nextReadDelay(
  outcome: ReadOutcome,
  failures: number,
  now: number,
  callTimes: number[],
  policy: LogReadPolicy,
  random: () => number,
): number {
  let wait: number;
  if (outcome === 'more-pages') wait = policy.pageIntervalMs;
  else if (outcome === 'done') wait = jittered(policy.intervalMs, policy, random);
  else {
    const backoff = policy.backoffBaseMs * 2 ** Math.max(0, failures - 1);
    wait = jittered(Math.min(policy.backoffMaxMs, backoff), policy, random);
  }
  return wait + budgetWait(now + wait, callTimes, policy);
}
