// What the log follower says and does when a ListLogEntries call fails: a refusal stops reading
// with one warning naming what to fix; RESOURCE_EXHAUSTED and transient failures slow reading
// down (warned once), until they have gone on for ten minutes.

import type { Logger } from '../core/log.ts';
import { failureKind } from '../core/logs/verdicts.ts';

const FAILING_FOR_MS = 10 * 60_000;

/** The denied warning names the role to grant. */
function deniedMessage(project: string, code: string, details: string): string {
  return (
    `Reading the job's logs from Cloud Logging was refused (${code}: ${details}). ` +
    `Grant the credentials roles/logging.viewer (Logs Viewer) on project ${project} to see the ` +
    'training output in this log; the launch goes on without it.'
  );
}

export interface CallFailure {
  /** The status code's name; undefined when the client failed before any status. */
  code?: string;
  details: string;
}

/** Stop reading with this status, or go on after the wait this outcome calls for. */
export type FailureAction =
  { stop: 'denied' | 'failed' } | { stop?: undefined; outcome: 'exhausted' | 'transient' };

export class ReadFailures {
  /** Failed calls in a row. */
  count = 0;
  private since = 0;
  private warnedExhausted = false;
  private warnedTransient = false;

  private readonly project: string;
  private readonly log: Logger;
  private readonly timeScale: number;

  constructor(project: string, log: Logger, timeScale: number) {
    this.project = project;
    this.log = log;
    this.timeScale = timeScale;
  }

  succeeded(): void {
    this.count = 0;
  }

  failed(failure: CallFailure, nowMs: number): FailureAction {
    const code = failure.code ?? 'a client error';
    const kind = failureKind(code);
    if (kind === 'denied') {
      this.log.warning(deniedMessage(this.project, code, failure.details));
      return { stop: 'denied' };
    }
    if (kind === 'fatal') {
      const hint =
        code === 'UNAUTHENTICATED'
          ? ' Check the credentials (workload-identity-provider, service-account).'
          : ' Check logging-endpoint and the project.';
      this.log.warning(
        `Reading the job's logs from Cloud Logging failed (${code}: ${failure.details}).${hint} The launch goes on without them.`,
      );
      return { stop: 'failed' };
    }
    if (this.count++ === 0) this.since = nowMs;
    if (nowMs - this.since >= FAILING_FOR_MS * this.timeScale) {
      this.log.warning(
        `Cloud Logging kept failing for ${FAILING_FOR_MS / 60_000} minutes (last: ${code}: ${failure.details}); the job's logs are not read any more.`,
      );
      return { stop: 'failed' };
    }
    if (kind === 'exhausted') this.exhausted();
    else this.transient(code, failure.details);
    return { outcome: kind };
  }

  private exhausted(): void {
    if (this.warnedExhausted) {
      this.log.debug(`Cloud Logging: RESOURCE_EXHAUSTED again (${this.count} in a row).`);
      return;
    }
    this.warnedExhausted = true;
    this.log.warning(
      `Cloud Logging's read quota for project ${this.project} is used up for now (RESOURCE_EXHAUSTED: 60 ListLogEntries ` +
        'calls a minute, shared by everyone reading the project, the legs of a matrix too). ' +
        'Reading more slowly: log lines come late, none are lost.',
    );
  }

  private transient(code: string, details: string): void {
    this.log.debug(`Cloud Logging: ${code}: ${details} (${this.count} in a row).`);
    if (this.count >= 3 && !this.warnedTransient) {
      this.warnedTransient = true;
      this.log.warning(`Cloud Logging keeps failing with ${code}; still trying.`);
    }
  }
}
