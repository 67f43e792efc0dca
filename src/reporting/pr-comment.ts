// The PR comment: one per workflow and job, found again by its hidden marker (first line of
// the body) and edited in place, across steps and across workflow runs.

import type { getOctokit } from '@actions/github';
import { commentMarker, renderPrComment, type LaunchReport } from '../core/report/index.ts';
import { Channel, type GitHubCallGuard } from './guard.ts';

type Octokit = ReturnType<typeof getOctokit>;

export interface PrCommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
  workflow: string;
  job: string;
  runUrl?: string;
}

export class PrCommentReporter {
  readonly channel = new Channel('PR comment', 'pull-requests: write');
  private id?: number;
  private readonly octokit: Octokit;
  private readonly guard: GitHubCallGuard;
  private readonly target: PrCommentTarget;
  private readonly marker: string;
  private readonly clock: () => Date;

  constructor(
    octokit: Octokit,
    guard: GitHubCallGuard,
    target: PrCommentTarget,
    clock: () => Date,
  ) {
    this.octokit = octokit;
    this.guard = guard;
    this.target = target;
    this.marker = commentMarker(target.workflow, target.job);
    this.clock = clock;
  }

  /** Writes the report into this job's comment: edits it when it exists, creates it otherwise. */
  upsert(report: LaunchReport): Promise<void> {
    const body = renderPrComment(report, this.marker, {
      runUrl: this.target.runUrl,
      now: this.clock(),
    });
    return this.channel.serialize(async () => {
      if (this.id === undefined) {
        const found = await this.guard.call(this.channel, 'list the PR comments', () =>
          this.find(),
        );
        if (found === undefined) return; // listing failed: better no comment than a duplicate
        this.id = found ?? undefined;
      }
      if (this.id !== undefined) {
        const id = this.id;
        const edited = await this.guard.call(this.channel, 'update the PR comment', () =>
          this.edit(id, body),
        );
        if (edited === 'gone') this.id = undefined;
        else return;
      }
      const created = await this.guard.call(this.channel, 'create the PR comment', () =>
        this.octokit.rest.issues.createComment({ ...this.issue(), body }),
      );
      if (created) this.id = created.data.id;
    });
  }

  private issue() {
    return {
      owner: this.target.owner,
      repo: this.target.repo,
      issue_number: this.target.issueNumber,
    };
  }

  /** The id of the oldest comment that starts with the marker, or null when there is none. */
  private async find(): Promise<number | null> {
    for await (const page of this.octokit.paginate.iterator(this.octokit.rest.issues.listComments, {
      ...this.issue(),
      per_page: 100,
    })) {
      const mine = page.data.find((c) => (c.body ?? '').startsWith(this.marker));
      if (mine) return mine.id;
    }
    return null;
  }

  // Someone may have deleted the comment since it was found: then a new one is written.
  private async edit(id: number, body: string): Promise<'edited' | 'gone'> {
    try {
      await this.octokit.rest.issues.updateComment({
        owner: this.target.owner,
        repo: this.target.repo,
        comment_id: id,
        body,
      });
      return 'edited';
    } catch (e) {
      if ((e as { status?: number }).status === 404) return 'gone';
      throw e;
    }
  }
}
