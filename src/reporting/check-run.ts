// The check run: created in_progress when the job is submitted (on the PR head commit for
// pull_request events), updated on each state change, completed with the conclusion.
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
  /** Identifies the workflow run that owns the check run. */
  externalId?: string;
  /** Where annotations without a file of their own go (see createReporter). */
  annotationPath: string;
}

interface Step {
  status: Status;
  conclusion?: Conclusion;
  output: CheckRunOutput;
  annotations: CheckRunAnnotation[];
  detailsUrl?: string;
}

export class CheckRunReporter {
  readonly channel = new Channel('check run', 'checks: write');
  private id?: number;
  private readonly octokit: Octokit;
  private readonly guard: GitHubCallGuard;
  private readonly target: CheckRunTarget;
  private readonly clock: () => Date;

  constructor(octokit: Octokit, guard: GitHubCallGuard, target: CheckRunTarget, clock: () => Date) {
    this.octokit = octokit;
    this.guard = guard;
    this.target = target;
    this.clock = clock;
  }

  /** Creates the check run in_progress, or updates it if it exists. */
  progress(report: LaunchReport): Promise<void> {
    return this.channel.serialize(async () => {
      await this.send(this.stepFor(report, 'in_progress', []));
    });
  }

  /** Completes it with the conclusion; a failed job gets a failure annotation with Vertex's error. */
  complete(report: LaunchReport): Promise<void> {
    const conclusion = checkRunConclusion(report);
    const annotations =
      conclusion === 'failure' ? jobErrorAnnotations(report, this.target.annotationPath) : [];
    return this.channel.serialize(() =>
      this.sendInBatches({ ...this.stepFor(report, 'completed', []), conclusion }, annotations),
    );
  }

  /** One failure annotation per problem, in batches of 50; completes the check run as failed. */
  configProblems(problems: Problem[]): Promise<void> {
    const step: Step = {
      status: 'completed',
      conclusion: 'failure',
      output: configProblemsOutput(problems),
      annotations: [],
    };
    return this.channel.serialize(() =>
      this.sendInBatches(step, problemAnnotations(problems, this.target.annotationPath)),
    );
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
    };
  }

  // All batches but the last go out while the run stays in progress; the last one carries the
  // final status, so the check run is never shown completed with annotations still missing.
  private async sendInBatches(final: Step, annotations: CheckRunAnnotation[]): Promise<void> {
    const parts = batches(annotations);
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      const step: Step = last
        ? { ...final, annotations: parts[i] }
        : { ...final, status: 'in_progress', conclusion: undefined, annotations: parts[i] };
      // A batch that did not get through (channel off, or failed after retries): stop here.
      if (!(await this.send(step, !last))) return;
    }
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
    if (this.id === undefined) {
      const created = await this.guard.call(this.channel, 'create the check run', () =>
        this.octokit.rest.checks.create({
          owner,
          repo,
          name: this.target.name,
          head_sha: this.target.headSha,
          started_at: now,
          ...(this.target.externalId ? { external_id: this.target.externalId } : {}),
          status: step.status,
          ...common,
        }),
      );
      if (created) this.id = created.data.id;
      return created !== undefined;
    }
    const id = this.id;
    const updated = await this.guard.call(this.channel, 'update the check run', () =>
      this.octokit.rest.checks.update({
        owner,
        repo,
        check_run_id: id,
        ...(annotationsOnly || step.status === 'completed' ? {} : { status: step.status }),
        ...common,
      }),
    );
    return updated !== undefined;
  }
}
