// `reconcile: true` (and the CLI's `reconcile`): nothing is submitted. This repository's ended
// launches are listed from Vertex, page by page, and the check run and PR comment entry of
// each one whose check run is still in progress are completed. Jobs of other repositories,
// and jobs the action did not launch, are never touched (the labels are checked twice: in the
// Vertex filter and again here).
import { latestAttempts } from '../core/attempts.ts';
import { reconcileCandidates, reconcileFilter } from '../core/reconcile.ts';
import { UserError } from '../core/errors.ts';
import type { JobSnapshot } from '../core/job.ts';
import type { MetricsReport } from '../core/report/metrics-model.ts';
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
  /** Ended jobs that the last successful reconcile took care of. */
  handledBefore: number;
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
  /**
   * When the last successful reconcile of this workflow started: jobs that ended well before
   * are skipped, and the rest are completed by their check run's id, with no search.
   */
  since?: Date;
  /** The W&B results of an ended job (phases/results.ts), for its completed reports. */
  results?: (job: JobSnapshot) => Promise<MetricsReport | undefined>;
  /** The `fallback-regions`, each with its connection: a launch's attempts may be there. */
  fallbacks?: Array<{ region: string; vertex: VertexConnection }>;
  /** Looks at the ended jobs that may be left open before their reports are completed. */
  ended?: (jobs: JobSnapshot[]) => Promise<void>;
}): Promise<ReconcileResult> {
  const { vertex, project, region, repository, log } = opts;
  const filter = reconcileFilter(repository, opts.now ?? new Date());
  const places = [{ region, vertex }, ...(opts.fallbacks ?? [])];
  const listings = await Promise.all(
    places.map((p) =>
      listCustomJobs(p.vertex, `projects/${project}/locations/${p.region}`, filter, 'reconcile'),
    ),
  );
  const listed = {
    jobs: listings.flatMap((l) => l.jobs),
    pages: listings.reduce((n, l) => n + l.pages, 0),
  };
  // A launch that moved to another region is one launch: its newest attempt speaks for it.
  const { latest, superseded } = latestAttempts(listed.jobs);
  if (superseded.length > 0)
    log.info(`${superseded.length} earlier attempts of launches that moved region are left alone.`);
  const set = reconcileCandidates(latest, repository, opts.since);
  const candidates = set.candidates.length;
  log.info(
    `${listed.jobs.length} ended launches of ${repository} in ${project}/${region} ` +
      `(${listed.pages} page${listed.pages === 1 ? '' : 's'}): ${set.followedToEnd} followed to the end by their step, ` +
      `${set.handledBefore} handled by an earlier reconcile, ${candidates} possibly left open.`,
  );
  await opts.ended?.(set.candidates.map((c) => c.job));
  const outcome = await completeOpenReports(
    opts.github,
    set.candidates,
    async (c) => {
      const metrics = await opts.results?.(c.job);
      return { ...reportFromJob(c.job), ...(metrics ? { metrics } : {}) };
    },
    { direct: opts.since !== undefined },
  );
  const reconciled = outcome.done;
  if (outcome.failed > 0) {
    // Failing the step keeps this run from counting as a successful reconcile, so the next
    // one looks at these jobs again.
    throw new UserError(
      'reconcile',
      `${outcome.failed} check run${outcome.failed === 1 ? '' : 's'} could not be completed (see the warnings above); the next reconcile tries again. ${reconciled.length} were completed.`,
    );
  }
  log.info(
    reconciled.length === 0
      ? 'Nothing to reconcile: every check run of an ended job is complete.'
      : `Reconciled ${reconciled.length} job${reconciled.length === 1 ? '' : 's'}.`,
  );
  return {
    reconciled,
    listed: listed.jobs.length,
    followedToEnd: set.followedToEnd,
    handledBefore: set.handledBefore,
    candidates,
    pages: listed.pages,
  };
}
