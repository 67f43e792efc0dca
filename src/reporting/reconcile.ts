// Reconcile, the GitHub side: complete the check runs of ended jobs that are still in progress
// and update their PR comment entries. One listing of in-progress check runs per commit (the
// list endpoints cannot filter on external_id), one completion per job that changed, one
// locked edit per comment. Completing is idempotent: the same conclusion, output and
// completed_at (the job's end time) whoever sends it, and no annotations, which would add up;
// so two reconcilers at once leave the same result as one.

import type { getOctokit } from '@actions/github';
import type { Logger } from '../core/log.ts';
import type { Candidate, CandidateSet } from '../core/reconcile.ts';
import { checkRunConclusion, type LaunchReport } from '../core/report/index.ts';
import { checkRunChannel, CheckRunReporter, findCheckRuns } from './check-run.ts';
import type { GitHubCallGuard } from './guard.ts';
import { prCommentChannel, PrCommentReporter } from './pr-comment.ts';
import { ReactionLocks } from './reaction-lock.ts';

export interface ReconcileGitHub {
  octokit: ReturnType<typeof getOctokit>;
  guard: GitHubCallGuard;
  owner: string;
  repo: string;
  log: Logger;
  /** This reconcile's workflow run, linked from the comments it edits. */
  runUrl?: string;
}

export interface ReconciledJob {
  candidate: Candidate;
  report: LaunchReport;
  checkRunId: number;
  conclusion: string;
}

export async function completeOpenReports(
  gh: ReconcileGitHub,
  candidates: CandidateSet,
  reportOf: (candidate: Candidate) => LaunchReport,
): Promise<ReconciledJob[]> {
  const { octokit, guard, owner, repo, log } = gh;
  const checks = checkRunChannel();
  const done: ReconciledJob[] = [];
  for (const [sha, group] of candidates.byCommit) {
    const open = await guard.call(checks, `list the check runs of ${sha}`, () =>
      findCheckRuns(octokit, { owner, repo }, sha, { inProgressOnly: true }),
    );
    if (!open) continue;
    for (const candidate of group) {
      const run = open.find((r) => r.externalId === candidate.job.name && r.status !== 'completed');
      if (!run) continue;
      const report = reportOf(candidate);
      const ended = candidate.job.endTime ? new Date(candidate.job.endTime) : new Date();
      const reporter = new CheckRunReporter(
        octokit,
        guard,
        {
          owner,
          repo,
          headSha: sha,
          name: '',
          existingId: run.id,
          noAnnotations: true,
          annotationPath: '.github',
        },
        () => ended,
        checks,
      );
      await reporter.complete(report);
      if (checks.disabled) break;
      done.push({ candidate, report, checkRunId: run.id, conclusion: checkRunConclusion(report) });
      log.info(
        `${candidate.job.name}: ${candidate.job.state}; check run ${run.id} completed as ${checkRunConclusion(report)}.`,
      );
    }
  }
  await updateComments(gh, done);
  return done;
}

async function updateComments(gh: ReconcileGitHub, done: ReconciledJob[]): Promise<void> {
  const byPr = new Map<number, Map<string, LaunchReport>>();
  for (const { candidate, report } of done) {
    if (candidate.origin.pr === undefined) continue;
    const reports = byPr.get(candidate.origin.pr) ?? new Map<string, LaunchReport>();
    reports.set(candidate.job.name, report);
    byPr.set(candidate.origin.pr, reports);
  }
  const channel = prCommentChannel();
  const locks = new ReactionLocks(gh.octokit, { owner: gh.owner, repo: gh.repo, log: gh.log });
  for (const [pr, reports] of byPr) {
    const comment = new PrCommentReporter(
      gh.octokit,
      gh.guard,
      {
        owner: gh.owner,
        repo: gh.repo,
        issueNumber: pr,
        workflow: '',
        job: '',
        runUrl: gh.runUrl,
        // Unused by updateJobs: each entry keeps its own leg, run and attempt.
        leg: { key: '' },
        run: { id: '0', attempt: 1 },
      },
      locks,
      () => new Date(),
      channel,
    );
    await comment.updateJobs(reports);
  }
}
