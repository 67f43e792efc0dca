// The check run: created in_progress when the job is submitted (on the PR head commit for
// pull_request events), updated on each state change, completed with the conclusion. Its
// external_id is the job's resource name, so `attach` and `reconcile` find it again on the
// commit (list endpoints cannot filter on external_id: the commit's runs are matched here).
// They touch a check run only when its external_id is the job's name and it is still open:
// another app's check run, or one already completed, stays exactly as it is.
// Annotations go 50 per request; further batches follow as PATCHes, which GitHub appends.

import type { getOctokit } from '@actions/github';
import type { Problem } from '../core/errors.ts';
import {
  batches,
  checkRunConclusion,
  checkRunOutput,
  configProblemsOutput,
  jobErrorAnnotations,
  problemAnnotations,
  type CheckRunAnnotation,
  type CheckRunOutput,
  type LaunchReport,
} from '../core/report/index.ts';
import { Channel, type GitHubCallGuard } from './guard.ts';

type Octokit = ReturnType<typeof getOctokit>;
type Status = 'in_progress' | 'completed';
type Conclusion = ReturnType<typeof checkRunConclusion>;

export interface CheckRunTarget {
  owner: string;
  repo: string;
  headSha: string;
  name: string;
  /**
   * `attach`: the job's resource name. Its check run is looked for on `headSha` before any
   * write, and updated rather than created again.
   */
  adoptJob?: string;
  /** A check run known already (reconcile): updated, never created. */
  existingId?: number;
  /**
   * No annotations: `reconcile` completes check runs that other reconcilers may complete at
   * the same moment, and annotations, unlike the rest, add up rather than replace.
   */
  noAnnotations?: boolean;
  /** Where annotations without a file of their own go (see createReporter). */
  annotationPath: string;
}

interface Step {
  status: Status;
  conclusion?: Conclusion;
  output: CheckRunOutput;
  annotations: CheckRunAnnotation[];
  detailsUrl?: string;
  /** The job's resource name, the check run's external_id. */
  jobName?: string;
}

export class CheckRunReporter {
  readonly channel: Channel;
  private id?: number;
  private adoptTried = false;
  /** `attach` found the job's check run completed already: nothing more is sent. */
  private closed = false;
  /** The job name the check run carries as external_id (true: a known one, left as it is). */
  private externalIdSent: string | boolean = false;
  private readonly octokit: Octokit;
  private readonly guard: GitHubCallGuard;
  private readonly target: CheckRunTarget;
  private readonly clock: () => Date;

  /** `channel`: shared by several check runs (reconcile), so a refusal is reported once. */
  constructor(
    octokit: Octokit,
    guard: GitHubCallGuard,
    target: CheckRunTarget,
    clock: () => Date,
    channel: Channel = checkRunChannel(),
  ) {
    this.channel = channel;
    this.octokit = octokit;
    this.guard = guard;
    this.target = target;
    this.clock = clock;
    this.id = target.existingId;
    // A known check run (reconcile) already carries its job's name.
    this.externalIdSent = target.existingId !== undefined;
  }

  /** Creates the check run in_progress, or updates it if it exists. */
  progress(report: LaunchReport): Promise<void> {
    return this.channel.serialize(async () => {
      await this.send(this.stepFor(report, 'in_progress', []));
    });
  }

  /** The check run's id once it exists. */
  get checkRunId(): number | undefined {
    return this.id;
  }

  /**
   * Completes it with the conclusion; a failed job gets a failure annotation with Vertex's
   * error. Resolves to whether GitHub took it.
   */
  complete(report: LaunchReport): Promise<boolean> {
    const conclusion = checkRunConclusion(report);
    const annotations =
      conclusion === 'failure' && !this.target.noAnnotations
        ? jobErrorAnnotations(report, this.target.annotationPath)
        : [];
    let sent = false;
    return this.channel
      .serialize(async () => {
        sent = await this.sendInBatches(
          { ...this.stepFor(report, 'completed', []), conclusion },
          annotations,
        );
      })
      .then(() => sent);
  }

  /** One failure annotation per problem, in batches of 50; completes the check run as failed. */
  async configProblems(problems: Problem[]): Promise<void> {
    const step: Step = {
      status: 'completed',
      conclusion: 'failure',
      output: configProblemsOutput(problems),
      annotations: [],
    };
    await this.channel.serialize(async () => {
      await this.sendInBatches(step, problemAnnotations(problems, this.target.annotationPath));
    });
  }

  private stepFor(report: LaunchReport, status: Status, annotations: CheckRunAnnotation[]): Step {
    const detailsUrl =
      report.links.console && /^https?:\/\//.test(report.links.console)
        ? report.links.console
        : undefined;
    return {
      status,
      output: checkRunOutput(report, { now: this.clock() }),
      annotations,
      detailsUrl,
      jobName: report.jobName,
    };
  }

  // All batches but the last go out while the run stays in progress; the last one carries the
  // final status, so the check run is never shown completed with annotations still missing.
  private async sendInBatches(final: Step, annotations: CheckRunAnnotation[]): Promise<boolean> {
    const parts = batches(annotations);
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      const step: Step = last
        ? { ...final, annotations: parts[i] }
        : { ...final, status: 'in_progress', conclusion: undefined, annotations: parts[i] };
      // A batch that did not get through (channel off, or failed after retries): stop here.
      if (!(await this.send(step, !last))) return false;
    }
    return true;
  }

  /** Returns whether the call went through. `annotationsOnly` keeps the status as it is. */
  private async send(step: Step, annotationsOnly = false): Promise<boolean> {
    const { owner, repo } = this.target;
    const now = this.clock().toISOString();
    const output = {
      ...step.output,
      ...(step.annotations.length > 0 ? { annotations: step.annotations } : {}),
    };
    const common = {
      output,
      ...(step.detailsUrl ? { details_url: step.detailsUrl } : {}),
      ...(step.status === 'completed'
        ? { status: step.status, conclusion: step.conclusion, completed_at: now }
        : {}),
    };
    if (this.id === undefined && this.target.adoptJob && !this.adoptTried) {
      this.adoptTried = true;
      const found = await this.guard.call(this.channel, "find the job's check run", () =>
        findCheckRun(this.octokit, { owner, repo }, this.target.headSha, this.target.adoptJob!),
      );
      if (found?.status === 'completed') this.closed = true;
      else if (found) this.id = found.id;
    }
    if (this.closed) return false;
    if (this.id === undefined) {
      const externalId = step.jobName ?? this.target.adoptJob;
      const created = await this.guard.call(this.channel, 'create the check run', () =>
        this.octokit.rest.checks.create({
          owner,
          repo,
          name: this.target.name,
          head_sha: this.target.headSha,
          started_at: now,
          ...(externalId ? { external_id: externalId } : {}),
          status: step.status,
          ...common,
        }),
      );
      if (created) {
        this.id = created.data.id;
        this.externalIdSent = externalId ?? false;
      }
      return created !== undefined;
    }
    const id = this.id;
    // A check run opened before the job existed learns the job's name on its first update; a
    // launch that moved region (fallback-regions) names its live attempt's job.
    const known = this.externalIdSent === true;
    const externalId =
      step.jobName && !known && step.jobName !== this.externalIdSent ? step.jobName : undefined;
    const updated = await this.guard.call(this.channel, 'update the check run', () =>
      this.octokit.rest.checks.update({
        owner,
        repo,
        check_run_id: id,
        ...(externalId ? { external_id: externalId } : {}),
        ...(annotationsOnly || step.status === 'completed' ? {} : { status: step.status }),
        ...common,
      }),
    );
    if (updated && externalId) this.externalIdSent = externalId;
    return updated !== undefined;
  }
}

export const checkRunChannel = () => new Channel('check run', 'checks: write');

export interface FoundCheckRun {
  id: number;
  status: string;
  externalId: string;
  annotationsCount: number;
}

/**
 * The check run of `jobName` on `sha`, or null. `inProgressOnly` asks GitHub for unfinished
 * runs only (what reconcile needs); otherwise every run of the commit is looked at.
 */
export async function findCheckRuns(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  sha: string,
  opts: { inProgressOnly?: boolean } = {},
): Promise<FoundCheckRun[]> {
  const found: FoundCheckRun[] = [];
  for await (const page of octokit.paginate.iterator(octokit.rest.checks.listForRef, {
    ...repo,
    ref: sha,
    filter: 'all',
    per_page: 100,
    ...(opts.inProgressOnly ? { status: 'in_progress' as const } : {}),
  })) {
    for (const run of page.data) {
      if (!run.external_id) continue;
      found.push({
        id: run.id,
        status: run.status,
        externalId: run.external_id,
        annotationsCount: run.output?.annotations_count ?? 0,
      });
    }
  }
  return found;
}

/** The check run of `jobName` on `sha` (an open one first), or null. */
export async function findCheckRun(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  sha: string,
  jobName: string,
): Promise<FoundCheckRun | null> {
  const runs = (await findCheckRuns(octokit, repo, sha)).filter((r) => r.externalId === jobName);
  return runs.find((r) => r.status !== 'completed') ?? runs[0] ?? null;
}

/** Check run `id` as GitHub has it, or null when there is no such check run. */
export async function getCheckRun(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  id: number,
): Promise<FoundCheckRun | null> {
  try {
    const { data } = await octokit.rest.checks.get({ ...repo, check_run_id: id });
    return {
      id: data.id,
      status: data.status,
      externalId: data.external_id ?? '',
      annotationsCount: data.output?.annotations_count ?? 0,
    };
  } catch (e) {
    // A label naming a check run that does not exist is not a refusal of the channel.
    if ((e as { status?: number }).status === 404) return null;
    throw e;
  }
}
