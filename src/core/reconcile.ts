// Reconcile, the pure part: which of a repository's jobs may have a check run left open, and
// the filter that asks Vertex for just the ended ones. Vertex filters support labels, state
// (=, !=) and create_time (ListCustomJobsRequest.filter), not end_time.
import { isTerminal, type JobSnapshot } from './job.ts';
import {
  LABEL,
  MANAGED_BY,
  mayBeLeftOpen,
  originOf,
  repositoryLabelValue,
  type JobOrigin,
} from './launch-identity.ts';

/**
 * GitHub marks a check run still in progress after 14 days as stale; older launches are not
 * looked at, which keeps every reconcile's listing bounded.
 */
export const RECONCILE_HORIZON_DAYS = 14;

const NOT_ENDED = [
  'JOB_STATE_UNSPECIFIED',
  'JOB_STATE_QUEUED',
  'JOB_STATE_PENDING',
  'JOB_STATE_RUNNING',
  'JOB_STATE_CANCELLING',
  'JOB_STATE_PAUSED',
  'JOB_STATE_UPDATING',
];

/** This repository's launches of the last 14 days that have ended. */
export function reconcileFilter(repository: string, now: Date): string {
  const since = new Date(now.getTime() - RECONCILE_HORIZON_DAYS * 86_400_000).toISOString();
  return [
    `labels.${LABEL.managedBy}="${MANAGED_BY}"`,
    `labels.${LABEL.repository}="${repositoryLabelValue(repository)}"`,
    `create_time>"${since}"`,
    ...NOT_ENDED.map((s) => `state!="${s}"`),
  ].join(' AND ');
}

export interface Candidate {
  job: JobSnapshot;
  origin: JobOrigin & { headSha: string };
}

export interface CandidateSet {
  /** Jobs whose check run may still be in progress. */
  candidates: Candidate[];
  /** Jobs the launching step followed to their end: their check runs were completed then. */
  followedToEnd: number;
  /** Jobs that ended before the last successful reconcile started: it completed them. */
  handledBefore: number;
  /** Jobs that are not this repository's launches, or have not ended (never touched). */
  ignored: number;
}

/**
 * The last successful reconcile is trusted for jobs that ended 10 minutes or more before it
 * started; the slack covers the clocks of Vertex and GitHub and Vertex's listing lag.
 */
export const WATERMARK_SLACK_MS = 10 * 60_000;

/**
 * The jobs whose check run may still be open. The filter is not trusted: every label is
 * checked again. `since`: when the last successful reconcile of this workflow started.
 */
export function reconcileCandidates(
  jobs: JobSnapshot[],
  repository: string,
  since?: Date,
): CandidateSet {
  const wanted = repositoryLabelValue(repository);
  const set: CandidateSet = { candidates: [], followedToEnd: 0, handledBefore: 0, ignored: 0 };
  for (const job of jobs) {
    const origin = originOf(job.labels);
    if (!origin || origin.repository !== wanted || !isTerminal(job.state) || !origin.headSha) {
      set.ignored++;
    } else if (!mayBeLeftOpen(job, origin)) {
      set.followedToEnd++;
    } else if (since && Date.parse(job.endTime ?? '') < since.getTime() - WATERMARK_SLACK_MS) {
      set.handledBefore++;
    } else {
      set.candidates.push({ job, origin: { ...origin, headSha: origin.headSha } });
    }
  }
  return set;
}

/** Candidates by the commit their check run is on: one listing of check runs per commit. */
export function byCommit(candidates: Candidate[]): Map<string, Candidate[]> {
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates)
    groups.set(c.origin.headSha, [...(groups.get(c.origin.headSha) ?? []), c]);
  return groups;
}
