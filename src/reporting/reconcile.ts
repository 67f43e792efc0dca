// Reconcile, the GitHub side: complete the check runs of ended jobs that are still in progress
// and update their PR comment entries, one locked edit per comment. A check run is completed
// only when its external_id is the job's name and it is still open: a job's labels may name
// any check run, and another app's stays as it is.
//  - Direct: a job that carries its check run's id (github-check-run), among jobs that ended
//    since the last successful reconcile, is read and completed by id: two calls per job. A
//    label naming another check run sends the job to the listing below.
//  - Otherwise the commit's in-progress check runs are listed (the list endpoints cannot filter
//    on external_id) and matched by the job's name: one listing per commit.
// Completing is idempotent: the same conclusion, output and completed_at (the job's end time)
// whoever sends it, and no annotations, which would add up; so two reconcilers at once, or a
// job completed by `attach` meanwhile, leave the same result as one.

import type { getOctokit } from '@actions/github';
import type { Logger } from '../core/log.ts';
import { byCommit, type Candidate } from '../core/reconcile.ts';
import { checkRunConclusion, type LaunchReport } from '../core/report/index.ts';
import { checkRunChannel, CheckRunReporter, findCheckRuns, getCheckRun } from './check-run.ts';
import type { GitHubCallGuard } from './guard.ts';
import { prCommentChannel, PrCommentReporter } from './pr-comment.ts';
import { commentAccess } from './reporter.ts';

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

export interface ReconcileOutcome {
  done: ReconciledJob[];
  /** Check runs that could not be completed (refused, or failing after retries). */
  failed: number;
}

export async function completeOpenReports(
  gh: ReconcileGitHub,
  candidates: Candidate[],
  reportOf: (candidate: Candidate) => LaunchReport | Promise<LaunchReport>,
  opts: { direct: boolean },
): Promise<ReconcileOutcome> {
  const { octokit, guard, owner, repo } = gh;
  const checks = checkRunChannel();
  const outcome: ReconcileOutcome = { done: [], failed: 0 };
  const complete = async (candidate: Candidate, checkRunId: number, sha: string) => {
    const report = await reportOf(candidate);
    const ended = candidate.job.endTime ? new Date(candidate.job.endTime) : new Date();
    const target = {
      owner,
      repo,
      headSha: sha,
      name: '',
      existingId: checkRunId,
      noAnnotations: true,
      annotationPath: '.github',
    };
    const sent = await new CheckRunReporter(octokit, guard, target, () => ended, checks).complete(
      report,
    );
    if (!sent) {
      outcome.failed++;
      return;
    }
    const conclusion = checkRunConclusion(report);
    outcome.done.push({ candidate, report, checkRunId, conclusion });
    gh.log.info(
      `${candidate.job.name}: ${candidate.job.state}; check run ${checkRunId} completed as ${conclusion}.`,
    );
  };

  const listed: Candidate[] = [];
  for (const candidate of candidates) {
    const id = candidate.origin.checkRunId;
    if (!opts.direct || id === undefined) {
      listed.push(candidate);
      continue;
    }
    const run = await guard.call(checks, `read check run ${id}`, () =>
      getCheckRun(octokit, { owner, repo }, id),
    );
    if (run === undefined) outcome.failed++;
    else if (run?.externalId !== candidate.job.name) listed.push(candidate);
    else if (run.status !== 'completed') await complete(candidate, id, candidate.origin.headSha);
  }
  for (const [sha, group] of byCommit(listed)) {
    if (checks.disabled) break;
    const open = await guard.call(checks, `list the check runs of ${sha}`, () =>
      findCheckRuns(octokit, { owner, repo }, sha, { inProgressOnly: true }),
    );
    if (!open) {
      outcome.failed += group.length;
      continue;
    }
    for (const candidate of group) {
      const run = open.find((r) => r.externalId === candidate.job.name && r.status !== 'completed');
      if (run) await complete(candidate, run.id, sha);
    }
  }
  await updateComments(gh, outcome.done);
  return outcome;
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
  // One token, one user: learned once for every pull request.
  const access = commentAccess(gh.octokit, { owner: gh.owner, repo: gh.repo }, gh.log);
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
      ...access,
      () => new Date(),
      channel,
    );
    await comment.updateJobs(reports);
  }
}
