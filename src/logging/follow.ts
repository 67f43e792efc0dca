// Following a job's Cloud Logging entries: read ListLogEntries as the pacing policy says,
// print each entry once, oldest first, each replica in order, and on `finish` read until the
// job's last lines are in. Nothing here can fail a launch: a read that is refused, or keeps
// failing, ends in one warning and the job goes on.

import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../core/log.ts';
import { linesOf, type JobLogEntry } from '../core/logs/entry.ts';
import { ExcerptTracker } from '../core/logs/excerpt.ts';
import { parseCustomJobName, type LogQueryWindow } from '../core/logs/filter.ts';
import { LogOrdering, type ReleasedEntry } from '../core/logs/ordering.ts';
import {
  DEFAULT_LOG_READ_POLICY,
  nextReadDelay,
  pruneCalls,
  scalePolicy,
  type LogReadPolicy,
  type ReadOutcome,
} from '../core/logs/pacing.ts';
import type { LogExcerpt } from '../core/report/model.ts';
import { codeName, rpcFailure } from '../grpc/status.ts';
import {
  connectLogging,
  type LoggingConnectOptions,
  type LoggingConnection,
} from './connection.ts';
import { listPage } from './read.ts';
import { errorMessage } from '../core/errors.ts';

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
   * Following is over. `drain`: the job ended, so read on until its last entries are in
   * (a read that starts `drainGrace` after `endTime` finds nothing new, within `drainMax`);
   * else stop at once. Either way, everything read is printed before this resolves.
   */
  finish(how: { drain: boolean; endTime?: string }): Promise<LogFollowResult>;
}

const DAY_MS = 86_400_000;
const FAILING_FOR_MS = 10 * 60_000;
/**
 * How long the drain waits when Cloud Logging never answered while the job ran (unreachable,
 * say): no last lines are coming, so the step ends soon after the job instead of draining.
 */
const NEVER_ANSWERED_DRAIN_MS = 5_000;
/** Connecting takes real time whatever the time scale: the scaled wait never goes below it. */
const NEVER_ANSWERED_MIN_REAL_MS = 2_000;

/** The denied warning names the role to grant. */
function deniedMessage(project: string, code: string, details: string): string {
  return (
    `Reading the job's logs from Cloud Logging was refused (${code}: ${details}). ` +
    `Grant the credentials roles/logging.viewer (Logs Viewer) on project ${project} to see the ` +
    'training output in this log; the launch goes on without it.'
  );
}

const TRANSIENT = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'INTERNAL', 'UNKNOWN', 'ABORTED']);

function formatLine(replica: string, text: string, late: JobLogEntry | undefined): string {
  const mark = late ? `, late: ${new Date(late.timeMs).toISOString()}` : '';
  return `[${replica}${mark}] ${text}`;
}

/** Starts reading at once; call `finish` when following the job is over. */
export function followJobLogs(opts: LogFollowOptions): LogFollower {
  const parsed = parseCustomJobName(opts.jobName);
  if (!parsed) throw new Error(`not a CustomJob name: ${opts.jobName}`);
  const { project, jobId } = parsed;
  const scale = opts.timeScale ?? 1;
  const policy = opts.policy ?? scalePolicy(DEFAULT_LOG_READ_POLICY, scale);
  const { log } = opts;
  const print = opts.print ?? ((lines: string[]) => lines.forEach((l) => log.info(l)));
  const random = opts.random ?? Math.random;
  const sinceMs = opts.since ? Date.parse(opts.since) : Date.now() - DAY_MS;
  // Entries stamped by the replicas' clocks may be a little ahead of the job's create time.
  const ordering = new LogOrdering(jobId, Math.max(0, sinceMs - 60_000 * scale), policy);
  const excerpt = new ExcerptTracker();

  let stopping:
    { drain: boolean; sinceMs: number; untilMs: number; deadlineMs: number } | undefined;
  let status: LogFollowResult['status'] = 'read';
  let answered = false;
  let calls = 0;
  let printedLines = 0;
  let lateLines = 0;
  // Wakes the loop out of a wait when `finish` is called.
  let wake = new AbortController();
  const hardStop = new AbortController();
  const onAbort = () => hardStop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) hardStop.abort();

  const emit = (released: ReleasedEntry[]) => {
    if (released.length === 0) return;
    const lines: string[] = [];
    for (const { entry, late } of released) {
      excerpt.record(entry);
      for (const text of linesOf(entry.text)) {
        lines.push(formatLine(entry.replica, text, late ? entry : undefined));
        if (late) lateLines++;
      }
    }
    printedLines += lines.length;
    print(lines);
  };

  /** Waits `ms`; returns early on finish or abort. */
  const wait = async (ms: number) => {
    const signal = AbortSignal.any([hardStop.signal, wake.signal]);
    await delay(Math.max(0, ms), undefined, { signal }).catch(() => undefined);
  };

  const run = async (): Promise<void> => {
    let conn: LoggingConnection;
    try {
      conn = await (opts.connect ?? connectLogging)(opts.connection);
    } catch (e) {
      status = 'failed';
      log.warning(
        `Could not set up the Cloud Logging client (${errorMessage(e)}); the job's logs are not shown.`,
      );
      return;
    }
    let callTimes: number[] = [];
    let failures = 0;
    let failingSince = 0;
    let warnedExhausted = false;
    let warnedTransient = false;
    let readWindow: LogQueryWindow | undefined;
    let pageToken: string | undefined;
    let readStart = 0;
    let readFresh = 0;
    try {
      for (;;) {
        if (hardStop.signal.aborted) return;
        if (!readWindow) {
          readWindow = ordering.window();
          readStart = Date.now();
          readFresh = 0;
        }
        const started = Date.now();
        callTimes = pruneCalls(callTimes, started, policy);
        callTimes.push(started);
        calls++;
        let outcome: ReadOutcome;
        try {
          const page = await listPage(
            conn,
            { project, window: readWindow, pageSize: policy.pageSize, pageToken },
            hardStop.signal,
          );
          failures = 0;
          answered = true;
          readFresh += ordering.add(page.entries, Date.now());
          if (page.nextPageToken) {
            pageToken = page.nextPageToken;
            outcome = 'more-pages';
          } else {
            ordering.completeRead();
            pageToken = undefined;
            readWindow = undefined;
            outcome = 'done';
          }
        } catch (e) {
          if (hardStop.signal.aborted) return;
          const failure = rpcFailure(e);
          const code = codeName(failure.code);
          // Any refusal is an answer; a connection that fails or times out is not.
          if (code !== 'UNAVAILABLE' && code !== 'DEADLINE_EXCEEDED') answered = true;
          if (code === 'PERMISSION_DENIED') {
            status = 'denied';
            log.warning(deniedMessage(project, code, failure.details));
            return;
          }
          if (code !== 'RESOURCE_EXHAUSTED' && !TRANSIENT.has(code)) {
            status = 'failed';
            const hint =
              code === 'UNAUTHENTICATED'
                ? ' Check the credentials (workload-identity-provider, service-account).'
                : ' Check logging-endpoint and the project.';
            log.warning(
              `Reading the job's logs from Cloud Logging failed (${failure.code === undefined ? 'a client error' : code}: ${failure.details}).${hint} The launch goes on without them.`,
            );
            return;
          }
          if (failures++ === 0) failingSince = Date.now();
          if (Date.now() - failingSince >= FAILING_FOR_MS * scale) {
            status = 'failed';
            log.warning(
              `Cloud Logging kept failing for ${FAILING_FOR_MS / 60_000} minutes (last: ${code}: ${failure.details}); the job's logs are not read any more.`,
            );
            return;
          }
          if (code === 'RESOURCE_EXHAUSTED') {
            outcome = 'exhausted';
            if (!warnedExhausted) {
              warnedExhausted = true;
              log.warning(
                `Cloud Logging's read quota for project ${project} is used up for now (RESOURCE_EXHAUSTED: 60 ListLogEntries ` +
                  'calls a minute, shared by everyone reading the project, the legs of a matrix too). ' +
                  'Reading more slowly: log lines come late, none are lost.',
              );
            } else log.debug(`Cloud Logging: RESOURCE_EXHAUSTED again (${failures} in a row).`);
          } else {
            outcome = 'transient';
            log.debug(`Cloud Logging: ${code}: ${failure.details} (${failures} in a row).`);
            if (failures >= 3 && !warnedTransient) {
              warnedTransient = true;
              log.warning(`Cloud Logging keeps failing with ${code}; still trying.`);
            }
          }
        }
        if (outcome === 'done') emit(ordering.release(readStart));

        if (stopping && outcome === 'done') {
          if (!stopping.drain) return;
          // The job's last lines are in once a read that began late enough finds nothing new;
          // past the deadline, one complete read that began after `finish` is enough.
          if (readStart >= stopping.untilMs && readFresh === 0) return;
          if (readStart >= stopping.sinceMs && Date.now() >= stopping.deadlineMs) return;
        }
        // Reads keep failing, or the output keeps coming, while draining: give up in the end.
        if (stopping && Date.now() >= stopping.deadlineMs + policy.drainMaxMs) {
          log.warning(
            "Stopped reading the job's logs before its last lines were all in (Cloud Logging was slow or refusing); the rest is in Cloud Logging.",
          );
          return;
        }
        let waitMs = nextReadDelay(outcome, failures, Date.now(), callTimes, policy, random);
        // Draining: the next read that can conclude is the one at `untilMs` (the budget holds).
        if (stopping && outcome === 'done') {
          const toUntil = stopping.untilMs - Date.now();
          const soonest = nextReadDelay('more-pages', 0, Date.now(), callTimes, policy, random);
          waitMs = Math.min(waitMs, Math.max(soonest, toUntil));
        }
        await wait(waitMs);
      }
    } finally {
      await conn.close().catch(() => undefined);
    }
  };

  const running = run().catch((e: unknown) => {
    status = 'failed';
    log.warning(`Following the job's logs stopped: ${errorMessage(e)}`);
  });

  return {
    async finish(how) {
      const now = Date.now();
      const endMs = how.endTime ? Date.parse(how.endTime) : NaN;
      // The job's last entries may be as late as the latest ones seen while it ran.
      const grace = Math.min(
        policy.drainMaxMs,
        Math.max(policy.drainGraceMs, ordering.maxLatenessMs + policy.settleMinMs),
      );
      stopping = {
        drain: how.drain,
        sinceMs: now,
        untilMs: Number.isFinite(endMs) ? endMs + grace : now,
        deadlineMs: now + policy.drainMaxMs,
      };
      if (!how.drain) hardStop.abort();
      const giveUp = answered
        ? undefined
        : setTimeout(
            () => {
              if (answered) return;
              status = 'failed';
              log.warning(
                "Cloud Logging did not answer once while the job ran; the job's logs are not shown here (they are in Cloud Logging).",
              );
              hardStop.abort();
            },
            Math.max(NEVER_ANSWERED_DRAIN_MS * scale, NEVER_ANSWERED_MIN_REAL_MS),
          );
      wake.abort();
      wake = new AbortController();
      await running;
      clearTimeout(giveUp);
      opts.signal?.removeEventListener('abort', onAbort);
      emit(ordering.flush());
      return {
        status,
        lines: printedLines,
        lateLines,
        calls,
        excerpt: excerpt.excerpt(opts.redact),
      };
    },
  };
}
