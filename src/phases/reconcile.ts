// `reconcile: true` (and the CLI's `reconcile`): nothing is submitted. This repository's ended
// launches are listed from Vertex, page by page, and the check run and PR comment entry of
// each one whose check run is still in progress are completed. Jobs of other repositories,
// and jobs the action did not launch, are never touched (the labels are checked twice: in the
// Vertex filter and again here).
import { reconcileCandidates, reconcileFilter } from '../core/reconcile.ts';
import type { Logger } from '../core/log.ts';
import { completeOpenReports, type ReconciledJob } from '../reporting/reconcile.ts';
import type { ReconcileGitHub } from '../reporting/reconcile.ts';
import { listCustomJobs, type VertexConnection } from '../vertex/index.ts';
import { reportFromJob } from './report.ts';

export interface ReconcileResult {
  reconciled: ReconciledJob[];
  /** Jobs listed (ended launches of this repository in the horizon). */
  listed: number;
  /** Ended jobs whose launching step followed them to the end. */
  followedToEnd: number;
  /** Jobs whose check run was looked for. */
  candidates: number;
  /** ListCustomJobs pages read. */
  pages: number;
}

export async function reconcileRepository(opts: {
  vertex: VertexConnection;
  project: string;
  region: string;
  /** `owner/repo` */
  repository: string;
  github: ReconcileGitHub;
  log: Logger;
  now?: Date;
}): Promise<ReconcileResult> {
  const { vertex, project, region, repository, log } = opts;
  const filter = reconcileFilter(repository, opts.now ?? new Date());
  const listed = await listCustomJobs(
    vertex,
    `projects/${project}/locations/${region}`,
    filter,
    'reconcile',
  );
  const set = reconcileCandidates(listed.jobs, repository);
  const candidates = [...set.byCommit.values()].reduce((n, g) => n + g.length, 0);
  log.info(
    `${listed.jobs.length} ended launches of ${repository} in ${project}/${region} ` +
      `(${listed.pages} page${listed.pages === 1 ? '' : 's'}); ${set.followedToEnd} followed to the end by their step, ` +
      `${candidates} possibly left open on ${set.byCommit.size} commit${set.byCommit.size === 1 ? '' : 's'}.`,
  );
  const reconciled = await completeOpenReports(opts.github, set, (c) => reportFromJob(c.job));
  log.info(
    reconciled.length === 0
      ? 'Nothing to reconcile: every check run of an ended job is complete.'
      : `Reconciled ${reconciled.length} job${reconciled.length === 1 ? '' : 's'}.`,
  );
  return {
    reconciled,
    listed: listed.jobs.length,
    followedToEnd: set.followedToEnd,
    candidates,
    pages: listed.pages,
  };
}
