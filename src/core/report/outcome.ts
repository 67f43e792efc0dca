// What a report's state means: the check-run conclusion, a one-line headline, the duration.

import { conclusionOf, isJobState, isTerminal } from '../job.ts';
import { formatDuration } from './format.ts';
import type { LaunchReport, Outcome } from './model.ts';

export function isTerminalState(state: string | undefined): boolean {
  return isJobState(state) && isTerminal(state);
}

/** `JOB_STATE_PARTIALLY_SUCCEEDED` -> `Partially succeeded`. */
export function stateLabel(state: string | undefined): string {
  if (!state) return 'Unknown';
  const words = state
    .replace(/^JOB_STATE_/, '')
    .toLowerCase()
    .replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The step stopped following a job that goes on (`wait: false`, or the wait-timeout ran out):
 * its check run stays in progress until `attach` or `reconcile` sees the job end.
 */
export function isDetached(report: LaunchReport): boolean {
  return (
    !report.dryRun &&
    report.jobName !== undefined &&
    report.outcome === undefined &&
    !isTerminalState(report.state) &&
    report.state !== 'JOB_STATE_CANCELLING' &&
    (report.waiting === false || report.waitTimedOut === true)
  );
}

/**
 * The check-run conclusion. A dry run is neutral (nothing ran); a wait that timed out and an
 * EXPIRED job are timed_out; a job submitted without waiting for it is neutral too, since its
 * result is not known when the step ends.
 */
export function checkRunConclusion(report: LaunchReport): Outcome {
  if (report.outcome) return report.outcome;
  if (report.dryRun) return 'neutral';
  if (report.waitTimedOut) return 'timed_out';
  // A terminal state concludes as the job model says; others fall through.
  if (isJobState(report.state) && isTerminal(report.state)) return conclusionOf(report.state);
  if (report.state === 'JOB_STATE_CANCELLING') return 'cancelled';
  // No job, or no terminal state, but an error: the launch itself failed.
  if (report.error) return 'failure';
  return 'neutral';
}

const ICON: Record<Outcome, string> = {
  success: '✅',
  failure: '❌',
  cancelled: '⏹️',
  timed_out: '⏱️',
  neutral: 'ℹ️',
};

function millis(t: string | undefined): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Run time: start (or create) to end, or to `now` while the job runs; undefined when unknown. */
export function jobDuration(report: LaunchReport, now?: Date): string | undefined {
  const from = millis(report.startTime) ?? millis(report.createTime);
  const to = millis(report.endTime) ?? (report.endTime === undefined ? now?.getTime() : undefined);
  if (from === undefined || to === undefined || to < from) return undefined;
  return formatDuration(to - from);
}

/** An emoji and a short sentence: `✅ Succeeded in 4m 2s`, `🔄 Running`, `ℹ️ Dry run: nothing submitted`. */
export function headline(report: LaunchReport, now?: Date): string {
  if (report.dryRun) return `${ICON.neutral} Dry run: request resolved, nothing submitted`;
  const duration = jobDuration(report, now);
  if (report.waitTimedOut)
    return `${ICON.timed_out} Still ${stateLabel(report.state).toLowerCase()} when the wait timed out; the job goes on`;
  if (isTerminalState(report.state) || (report.error && !report.state)) {
    const conclusion = checkRunConclusion(report);
    const what = report.state ? stateLabel(report.state) : 'Launch failed';
    const span = duration
      ? conclusion === 'success'
        ? ` in ${duration}`
        : ` after ${duration}`
      : '';
    return `${ICON[conclusion]} ${what}${span}`;
  }
  if (report.waiting === false)
    return `📨 Submitted (${stateLabel(report.state).toLowerCase()}); not followed to the end`;
  const icon = report.state === 'JOB_STATE_RUNNING' ? '🔄' : '⏳';
  return `${icon} ${report.state ? stateLabel(report.state) : 'Submitting'}`;
}
