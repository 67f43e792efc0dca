// The reporter main calls at each step of a launch. It drives two channels, the check run
// and the PR comment, each switched by its setting; neither can fail or stall a launch
// (see guard.ts). The job summary markdown comes from renderSummaryMarkdown; main writes it.

import { getOctokit } from '@actions/github';
import type { ReportingSettings } from '../context.ts';
import { errorMessage, type Problem } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { isDetached, type LaunchReport } from '../core/report/index.ts';
import { CheckRunReporter } from './check-run.ts';
import { DEFAULT_RETRY, GitHubCallGuard, type RetryPolicy } from './guard.ts';
import { PrCommentReporter } from './pr-comment.ts';
import { ReactionLocks } from './reaction-lock.ts';
import { TokenIdentity } from './token-identity.ts';
import {
  checkRunHeadSha,
  pullRequestNumber,
  splitRepository,
  workflowRunUrl,
  type GitHubRunContext,
} from './run-context.ts';

export interface Reporter {
  /**
   * The launch is about to submit: create the check run in progress. Resolves to its id (for
   * the job's labels, so a reconcile finds it without a search), or undefined.
   */
  opening(report: LaunchReport): Promise<number | undefined>;
  /** The job exists: create the check run (in_progress) and the PR comment. */
  submitted(report: LaunchReport): Promise<void>;
  /** The job's state changed: update both. */
  stateChanged(report: LaunchReport): Promise<void>;
  /**
   * The step is done with the job: complete the check run with its conclusion and update the
   * comment; a job left running (detached) keeps its check run in progress.
   */
  finished(report: LaunchReport): Promise<void>;
  /** The queue config is wrong: a failed check run with one annotation per problem. */
  configProblems(problems: Problem[]): Promise<void>;
}

export interface ReporterOptions {
  /** The github-token; falls back to settings.githubToken. Without one, nothing is reported. */
  token?: string;
  run: GitHubRunContext;
  settings: ReportingSettings;
  log: Logger;
  /** The check run's name, e.g. the job's display name and the matrix leg. */
  checkName: string;
  /** This step's leg: its entry in the PR comment. Default: one leg for the workflow job. */
  leg?: { key: string; label?: string };
  /**
   * `attach`: follow-up on a job launched earlier. Its check run (on `headSha`) is found by
   * external_id and updated, and its entry in the comments of pull request `pr` is updated.
   */
  adopt?: { jobName: string; headSha?: string; pr?: number };
  /**
   * Workspace-relative path of the queue config file, when it came from a file. Annotations
   * without a file of their own (a failed job's error, problems in an inline config) go on
   * it; else on the workflow file (where an inline config is written); else on `.github`.
   */
  queueConfigFile?: string;
  /** Retry policy for transient GitHub errors (default: 3 retries, 0.5 s doubling, at most 10 s per wait). */
  retry?: Partial<RetryPolicy>;
  /** Clock for timestamps and running durations. */
  now?: () => Date;
}

const noop = async () => {};
const nothing: Reporter = {
  opening: async () => undefined,
  submitted: noop,
  stateChanged: noop,
  finished: noop,
  configProblems: noop,
};

/** Octokit on GITHUB_API_URL, its log routed to debug output, and the guard every call goes through. */
export function githubClient(
  token: string,
  apiUrl: string,
  log: Logger,
  retry: Partial<RetryPolicy> = {},
): { octokit: ReturnType<typeof getOctokit>; guard: GitHubCallGuard } {
  const guard = new GitHubCallGuard(log, { ...DEFAULT_RETRY, ...retry }, token);
  // Octokit's own log would print to the console; route it to debug output.
  const octokit = getOctokit(token, {
    baseUrl: apiUrl,
    log: {
      debug: (m: string) => log.debug(m),
      info: (m: string) => log.debug(m),
      warn: (m: string) => log.debug(m),
      error: (m: string) => log.debug(m),
    },
  });
  return { octokit, guard };
}

/** The comment locks and the token's identity, which learns its user from their reactions. */
export function commentAccess(
  octokit: ReturnType<typeof getOctokit>,
  repository: { owner: string; repo: string },
  log: Logger,
): [ReactionLocks, TokenIdentity] {
  const locks = new ReactionLocks(octokit, { ...repository, log });
  return [locks, new TokenIdentity(octokit, locks, log)];
}

type Octokit = ReturnType<typeof getOctokit>;
type Repository = { owner: string; repo: string };

/** The token and the repository to report with; undefined (after a warning) without either. */
function reportingTarget(
  opts: ReporterOptions,
): { token: string; repository: Repository } | undefined {
  const { run, settings, log } = opts;
  const token = opts.token || settings.githubToken;
  if (!token) {
    log.warning(
      'No github-token: the check run and PR comment are skipped. Pass `github-token: ${{ github.token }}` to get them.',
    );
    return undefined;
  }
  const repository = splitRepository(run);
  if (!repository) {
    log.warning(
      `GITHUB_REPOSITORY is "${run.repository}", not owner/repo: the check run and PR comment are skipped.`,
    );
    return undefined;
  }
  return { token, repository };
}

function checkRunFor(
  opts: ReporterOptions,
  octokit: Octokit,
  guard: GitHubCallGuard,
  repository: Repository,
  clock: () => Date,
): CheckRunReporter {
  const { run } = opts;
  return new CheckRunReporter(
    octokit,
    guard,
    {
      ...repository,
      headSha: opts.adopt?.headSha ?? checkRunHeadSha(run),
      name: opts.checkName,
      adoptJob: opts.adopt?.jobName,
      annotationPath: opts.queueConfigFile || run.workflowFile || '.github',
    },
    clock,
  );
}

/** The PR comment's writer, when the event has a pull request. */
function commentFor(
  opts: ReporterOptions,
  octokit: Octokit,
  guard: GitHubCallGuard,
  repository: Repository,
  clock: () => Date,
): PrCommentReporter | undefined {
  const { run, log } = opts;
  const issueNumber = opts.adopt ? opts.adopt.pr : pullRequestNumber(run);
  if (issueNumber === undefined) {
    log.debug(`GitHub: a ${run.eventName || 'non-PR'} event has no pull request; no PR comment.`);
    return undefined;
  }
  return new PrCommentReporter(
    octokit,
    guard,
    {
      ...repository,
      issueNumber,
      workflow: run.workflow,
      job: run.job,
      runUrl: workflowRunUrl(run),
      leg: opts.leg ?? { key: 'job' },
      run: { id: run.runId || '0', attempt: Number(run.runAttempt) || 1 },
    },
    ...commentAccess(octokit, repository, log),
    clock,
  );
}

export function createReporter(opts: ReporterOptions): Reporter {
  const { run, settings, log } = opts;
  // `attach` updates the job's existing comment entry whatever pr-comment says: it never
  // creates a comment, and a launch that asked for one expects its entry to be completed.
  const prComment = settings.prComment || opts.adopt !== undefined;
  if (!settings.checkRun && !prComment) return nothing;
  const target = reportingTarget(opts);
  if (!target) return nothing;
  const { token, repository } = target;
  const clock = opts.now ?? (() => new Date());
  const { octokit, guard } = githubClient(token, run.apiUrl, log, opts.retry);
  const checkRun = settings.checkRun
    ? checkRunFor(opts, octokit, guard, repository, clock)
    : undefined;
  const comment = prComment ? commentFor(opts, octokit, guard, repository, clock) : undefined;
  const writeComment = comment
    ? (report: LaunchReport) =>
        opts.adopt
          ? comment.updateJobs(new Map([[opts.adopt.jobName, report]]))
          : comment.upsert(report)
    : undefined;
  return channelsReporter(checkRun, writeComment, log);
}

/** The reporter over the channels that are on; no step of it ever rejects. */
function channelsReporter(
  checkRun: CheckRunReporter | undefined,
  writeComment: ((report: LaunchReport) => Promise<unknown>) | undefined,
  log: Logger,
): Reporter {
  // The guard already turns GitHub failures into warnings; this catches anything else
  // (a rendering bug, say) so that no reporting step can reject.
  const safely = async (what: string, ops: (Promise<unknown> | undefined)[]) => {
    const results = await Promise.allSettled(ops);
    for (const r of results)
      if (r.status === 'rejected')
        log.warning(`Reporting (${what}) failed: ${errorMessage(r.reason)}`);
  };
  const attempt = (f: () => Promise<unknown>) => {
    try {
      return f();
    } catch (e) {
      return Promise.reject(e);
    }
  };
  const comment = (report: LaunchReport) => writeComment && attempt(() => writeComment(report));

  return {
    opening: async (report) => {
      if (!checkRun) return undefined;
      await safely('opening', [attempt(() => checkRun.progress(report))]);
      return checkRun.checkRunId;
    },
    submitted: (report) =>
      safely('submitted', [checkRun && attempt(() => checkRun.progress(report)), comment(report)]),
    stateChanged: (report) =>
      safely('state change', [
        checkRun && attempt(() => checkRun.progress(report)),
        comment(report),
      ]),
    finished: (report) =>
      safely('finished', [
        checkRun &&
          attempt(() =>
            isDetached(report)
              ? checkRun.progress(report)
              : checkRun.complete(report).then(() => undefined),
          ),
        comment(report),
      ]),
    configProblems: (problems) =>
      safely('config problems', [checkRun && attempt(() => checkRun.configProblems(problems))]),
  };
}
