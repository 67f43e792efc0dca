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
  /** Candidates by the commit their check run is on: one listing of check runs per commit. */
  byCommit: Map<string, Candidate[]>;
  /** Jobs the launching step followed to their end: their check runs were completed then. */
  followedToEnd: number;
  /** Jobs that are not this repository's launches, or have not ended (never touched). */
  ignored: number;
}

/** The jobs whose check run may still be open. The filter is not trusted: every label is checked again. */
export function reconcileCandidates(jobs: JobSnapshot[], repository: string): CandidateSet {
  const wanted = repositoryLabelValue(repository);
  const set: CandidateSet = { byCommit: new Map(), followedToEnd: 0, ignored: 0 };
  for (const job of jobs) {
    const origin = originOf(job.labels);
    if (!origin || origin.repository !== wanted || !isTerminal(job.state) || !origin.headSha) {
      set.ignored++;
      continue;
    }
    if (!mayBeLeftOpen(job, origin)) {
      set.followedToEnd++;
      continue;
    }
    const list = set.byCommit.get(origin.headSha) ?? [];
    list.push({ job, origin: { ...origin, headSha: origin.headSha } });
    set.byCommit.set(origin.headSha, list);
  }
  return set;
}
