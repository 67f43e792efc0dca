// Following a job's Cloud Logging entries: read ListLogEntries as the pacing policy says,
// print each entry once, oldest first, each replica in order, and on `finish` read until the
// job's last lines are in. Nothing here can fail a launch: a read that is refused, or keeps
// failing, ends in one warning and the job goes on.

import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../core/log.ts';
import { linesOf, type JobLogEntry } from '../core/logs/entry.ts';
import { ExcerptTracker } from '../core/logs/excerpt.ts';
import { parseCustomJobName } from '../core/logs/filter.ts';
import { LogOrdering, type ReleasedEntry } from '../core/logs/ordering.ts';
import {
  DEFAULT_LOG_READ_POLICY,
  scalePolicy,
  type LogReadPolicy,
  type ReadOutcome,
} from '../core/logs/pacing.ts';
import {
  drainVerdict,
  followWait,
  isAnswer,
  stopPlan,
  type StopPlan,
} from '../core/logs/verdicts.ts';
import type { LogExcerpt } from '../core/report/model.ts';
import { codeName, rpcFailure } from '../grpc/status.ts';
import {
  connectLogging,
  type LoggingConnectOptions,
  type LoggingConnection,
} from './connection.ts';
import { errorMessage } from '../core/errors.ts';
import { ReadFailures } from './failures.ts';
import { JobLogReader } from './reader.ts';

export interface LogFollowOptions {
  /** `projects/P/locations/L/customJobs/ID`. */
  jobName: string;
  /** The job's create time (RFC 3339); nothing older is read. Default: a day ago. */
  since?: string;
  /** Endpoint, credentials and project for the client. */
  connection: LoggingConnectOptions;
  log: Logger;
  /** Where the job's lines go; default log.info, one call per line. */
  print?: (lines: string[]) => void;
  /** Aborting stops reading at once (what is held is still printed). */
  signal?: AbortSignal;
  /** Defaults to DEFAULT_LOG_READ_POLICY, its durations multiplied by timeScale. */
  policy?: LogReadPolicy;
  /** In (0, 1]; tests against a fast emulator only. */
  timeScale?: number;
  /** Secrets out of the report's excerpt (the step log is masked by the runner). */
  redact?: (s: string) => string;
  /** Injected in tests. */
  connect?: (opts: LoggingConnectOptions) => Promise<LoggingConnection>;
  random?: () => number;
}

export interface LogFollowResult {
  /** `read`: reading went on to the end; `denied`/`failed`: it stopped early with a warning. */
  status: 'read' | 'denied' | 'failed';
  /** Lines printed, and how many of those came out of their replica's order. */
  lines: number;
  lateLines: number;
  /** ListLogEntries calls made (pages included). */
  calls: number;
  /** The failing replica's last lines, by the excerpt rules; the caller decides whether to show it. */
  excerpt?: LogExcerpt;
}

export interface LogFollower {
  /**
   * Following is over. `drain`: the job ended, so read on until its last entries are in (one
   * complete read that starts the hold after `endTime`, within `drainMax`); else stop at once.
   * Either way, everything read is printed before this resolves.
   */
  finish(how: { drain: boolean; endTime?: string }): Promise<LogFollowResult>;
}

const DAY_MS = 86_400_000;
/**
 * How long the drain waits when Cloud Logging never answered while the job ran (unreachable,
 * say): no last lines are coming, so the step ends soon after the job instead of draining.
 */
const NEVER_ANSWERED_DRAIN_MS = 5_000;
/** Connecting takes real time whatever the time scale: the scaled wait never goes below it. */
const NEVER_ANSWERED_MIN_REAL_MS = 2_000;
/**
 * So do calls: on a fast time scale the drain gives up no sooner than this, whatever the scale,
 * or a busy machine would make it give up on calls that are merely slow.
 */
const DRAIN_MIN_REAL_MS = 10_000;

function formatLine(replica: string, text: string, late: JobLogEntry | undefined): string {
  const mark = late ? `, late: ${new Date(late.timeMs).toISOString()}` : '';
  return `[${replica}${mark}] ${text}`;
}

/** The state one follower's loop and its `finish` share. */
interface Following {
  opts: LogFollowOptions;
  project: string;
  policy: LogReadPolicy;
  ordering: LogOrdering;
  excerpt: ExcerptTracker;
  print: (lines: string[]) => void;
  status: LogFollowResult['status'];
  answered: boolean;
  lines: number;
  lateLines: number;
  calls: number;
  stopping?: StopPlan;
  /** Wakes the loop out of a wait when `finish` is called. */
  wake: AbortController;
  hardStop: AbortController;
}

function emit(f: Following, released: ReleasedEntry[]): void {
  if (released.length === 0) return;
  const lines: string[] = [];
  for (const { entry, late } of released) {
    f.excerpt.record(entry);
    for (const text of linesOf(entry.text)) {
      lines.push(formatLine(entry.replica, text, late ? entry : undefined));
      if (late) f.lateLines++;
    }
  }
  f.lines += lines.length;
  f.print(lines);
}

/** Waits `ms`; returns early on finish or abort. */
async function wait(f: Following, ms: number): Promise<void> {
  const signal = AbortSignal.any([f.hardStop.signal, f.wake.signal]);
  await delay(Math.max(0, ms), undefined, { signal }).catch(() => undefined);
}

/** Following has stopped and the drain is over (or given up, with a warning). */
function drained(f: Following, reader: JobLogReader): boolean {
  if (!f.stopping) return false;
  const verdict = drainVerdict(f.stopping, reader.lastCompleteStartMs, Date.now(), f.policy);
  // Reads keep failing, or are too slow, while draining: give up in the end.
  if (verdict === 'give-up')
    f.opts.log.warning(
      "Stopped reading the job's logs before its last lines were all in (Cloud Logging was slow or refusing); the rest is in Cloud Logging.",
    );
  return verdict !== 'read-on';
}

/** One call: the page's lines printed, or the failure handled; undefined means stop. */
async function step(
  f: Following,
  reader: JobLogReader,
  failures: ReadFailures,
): Promise<ReadOutcome | undefined> {
  try {
    // Draining (and the job's last lines are due, see run): the last read, newest first.
    const last = f.stopping?.drain === true;
    const signal = f.hardStop.signal;
    const page = last ? await reader.readLastPage(signal) : await reader.readPage(signal);
    failures.succeeded();
    f.answered = true;
    emit(f, page.released);
    return page.outcome;
  } catch (e) {
    if (f.hardStop.signal.aborted) return undefined;
    const failure = rpcFailure(e);
    const code = codeName(failure.code);
    if (isAnswer(code)) f.answered = true;
    const action = failures.failed(
      { code: failure.code === undefined ? undefined : code, details: failure.details },
      Date.now(),
    );
    if (action.stop) f.status = action.stop;
    return action.stop ? undefined : action.outcome;
  }
}

async function run(f: Following): Promise<void> {
  const { opts, policy } = f;
  let conn: LoggingConnection;
  try {
    conn = await (opts.connect ?? connectLogging)(opts.connection);
  } catch (e) {
    f.status = 'failed';
    opts.log.warning(
      `Could not set up the Cloud Logging client (${errorMessage(e)}); the job's logs are not shown.`,
    );
    return;
  }
  const reader = new JobLogReader(conn, f.project, f.ordering, policy);
  const failures = new ReadFailures(f.project, opts.log, opts.timeScale ?? 1);
  const random = opts.random ?? Math.random;
  try {
    while (!f.hardStop.signal.aborted && !drained(f, reader)) {
      const plan = f.stopping;
      // Draining: no read until the last one is due (a read in progress is dropped).
      if (plan?.drain && Date.now() < plan.untilMs) {
        await wait(f, followWait('done', 0, Date.now(), reader.callTimes, policy, random, plan));
        continue;
      }
      const outcome = await step(f, reader, failures);
      f.calls = reader.calls;
      if (outcome === undefined || drained(f, reader)) return;
      const now = Date.now();
      await wait(
        f,
        followWait(outcome, failures.count, now, reader.callTimes, policy, random, plan),
      );
    }
  } finally {
    f.calls = reader.calls;
    await conn.close().catch(() => undefined);
  }
}

/** Starts reading at once; call `finish` when following the job is over. */
export function followJobLogs(opts: LogFollowOptions): LogFollower {
  const parsed = parseCustomJobName(opts.jobName);
  if (!parsed) throw new Error(`not a CustomJob name: ${opts.jobName}`);
  const scale = opts.timeScale ?? 1;
  const policy = opts.policy ?? scalePolicy(DEFAULT_LOG_READ_POLICY, scale);
  const sinceMs = opts.since ? Date.parse(opts.since) : Date.now() - DAY_MS;
  const f: Following = {
    opts,
    project: parsed.project,
    policy,
    // Entries stamped by the replicas' clocks may be a little ahead of the job's create time.
    ordering: new LogOrdering(parsed.jobId, Math.max(0, sinceMs - 60_000 * scale), policy),
    excerpt: new ExcerptTracker(),
    print: opts.print ?? ((lines: string[]) => lines.forEach((l) => opts.log.info(l))),
    status: 'read',
    answered: false,
    lines: 0,
    lateLines: 0,
    calls: 0,
    wake: new AbortController(),
    hardStop: new AbortController(),
  };
  const onAbort = () => f.hardStop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) f.hardStop.abort();

  const running = run(f).catch((e: unknown) => {
    f.status = 'failed';
    opts.log.warning(`Following the job's logs stopped: ${errorMessage(e)}`);
  });

  return {
    async finish(how) {
      const now = Date.now();
      const plan = stopPlan(how, now, f.ordering.holdMs(now), policy);
      f.stopping = { ...plan, deadlineMs: Math.max(plan.deadlineMs, now + DRAIN_MIN_REAL_MS) };
      if (!how.drain) f.hardStop.abort();
      const giveUp = f.answered
        ? undefined
        : setTimeout(
            () => {
              if (f.answered) return;
              f.status = 'failed';
              opts.log.warning(
                "Cloud Logging did not answer once while the job ran; the job's logs are not shown here (they are in Cloud Logging).",
              );
              f.hardStop.abort();
            },
            Math.max(NEVER_ANSWERED_DRAIN_MS * scale, NEVER_ANSWERED_MIN_REAL_MS),
          );
      f.wake.abort();
      f.wake = new AbortController();
      await running;
      clearTimeout(giveUp);
      opts.signal?.removeEventListener('abort', onAbort);
      emit(f, f.ordering.flush());
      const { status, lines, lateLines, calls } = f;
      return { status, lines, lateLines, calls, excerpt: f.excerpt.excerpt(opts.redact) };
    },
  };
}
