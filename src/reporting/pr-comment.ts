// The PR comment: one per workflow job, found again by its hidden marker (first line of the
// body), holding one entry per job launched on the pull request (one per matrix leg and step;
// a later run or attempt of a leg replaces that leg's entry). Legs finishing together would
// lose each other's entries editing one comment, so every edit reads, changes and writes the
// comment under a reaction lock (reaction-lock.ts); the comment's creation is locked on the
// pull request itself, so two legs never create two comments. Anyone can write a comment that
// starts with the marker: only those written by the token's own user are the action's
// (token-identity.ts); any other is never adopted, edited or locked.

import type { getOctokit } from '@actions/github';
import {
  commentEntry,
  commentMarker,
  parseComment,
  renderComment,
  withJobEntry,
  withLegEntry,
  type CommentEntry,
  type LaunchReport,
} from '../core/report/index.ts';
import { Channel, type GitHubCallGuard } from './guard.ts';
import type { ReactionLocks } from './reaction-lock.ts';
import type { TokenIdentity } from './token-identity.ts';

type Octokit = ReturnType<typeof getOctokit>;

export interface PrCommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
  workflow: string;
  job: string;
  runUrl?: string;
  /** This step's leg, and the run and attempt its entries belong to. */
  leg: { key: string; label?: string };
  run: { id: string; attempt: number };
}

type Change = (entries: CommentEntry[]) => CommentEntry[] | undefined;

interface OwnComment {
  id: number;
  marker: string;
  body: string;
}

const GONE = Symbol('gone');
const ANY_MARKER = /^<!-- wb-vertex-launch:([^:\s]*):([^:\s]*) -->/;
/** Rounds of "the comment vanished or the lease ran out: start again" before giving up. */
const MAX_ROUNDS = 4;

function isNotFound(e: unknown): boolean {
  return (e as { status?: number })?.status === 404;
}

export const prCommentChannel = () => new Channel('PR comment', 'pull-requests: write');

export class PrCommentReporter {
  readonly channel: Channel;
  private id?: number;
  private readonly octokit: Octokit;
  private readonly guard: GitHubCallGuard;
  private readonly target: PrCommentTarget;
  private readonly locks: ReactionLocks;
  private readonly identity: TokenIdentity;
  private readonly marker: string;
  private readonly clock: () => Date;

  constructor(
    octokit: Octokit,
    guard: GitHubCallGuard,
    target: PrCommentTarget,
    locks: ReactionLocks,
    identity: TokenIdentity,
    clock: () => Date,
    channel: Channel = prCommentChannel(),
  ) {
    this.channel = channel;
    this.octokit = octokit;
    this.guard = guard;
    this.target = target;
    this.locks = locks;
    this.identity = identity;
    this.marker = commentMarker(target.workflow, target.job);
    this.clock = clock;
  }

  /** Writes this leg's entry into the workflow job's comment, creating the comment if needed. */
  upsert(report: LaunchReport): Promise<void> {
    const entry = commentEntry(report, this.target.leg, this.target.run, this.clock());
    const change: Change = (entries) => withLegEntry(entries, entry);
    return this.channel.serialize(async () => {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        if (this.id === undefined) {
          const found = await this.findOwn();
          if (found === undefined) return; // listing failed: better no entry than a duplicate comment
          if (found === null) {
            const created = await this.createLocked(entry, change);
            if (created !== GONE) return;
            continue;
          }
          this.id = found;
        }
        const edited = await this.editLocked(this.id, this.marker, change);
        if (edited !== GONE) return;
        this.id = undefined; // deleted meanwhile: find or create it again
      }
    });
  }

  /**
   * Updates the entries of these jobs wherever the action's comments on this PR show them
   * (`attach`, `reconcile`), each comment in one edit. Entries replaced by a later launch of
   * their leg are left as they are.
   */
  updateJobs(reports: Map<string, LaunchReport>): Promise<void> {
    const now = this.clock();
    const updates = [...reports].map(
      ([job, report]) =>
        [job, commentEntry(report, this.target.leg, this.target.run, now)] as const,
    );
    return this.channel.serialize(async () => {
      const comments = await this.guard.call(this.channel, 'list the PR comments', () =>
        this.listOurs(),
      );
      for (const comment of comments ?? []) {
        const shown = new Set(parseComment(comment.body).map((e) => e.meta.job));
        if (!updates.some(([job]) => shown.has(job))) continue;
        await this.editLocked(comment.id, comment.marker, (entries) => {
          let changed: CommentEntry[] | undefined;
          for (const [job, entry] of updates)
            changed = withJobEntry(changed ?? entries, job, entry) ?? changed;
          return changed;
        });
      }
    });
  }

  private issue() {
    return {
      owner: this.target.owner,
      repo: this.target.repo,
      issue_number: this.target.issueNumber,
    };
  }

  private render(marker: string, entries: CommentEntry[]): string {
    const names = ANY_MARKER.exec(marker);
    const [workflow, job] = names
      ? [decodeURIComponent(names[1]), decodeURIComponent(names[2])]
      : [this.target.workflow, this.target.job];
    return renderComment(marker, entries, {
      heading: `Vertex AI jobs: ${workflow} / ${job}`,
      runUrl: this.target.runUrl,
    });
  }

  /**
   * The action's comments on this PR, oldest first: those that start with a marker (`only`
   * this one, if given) and were written by the token's user (looked up only when needed).
   */
  private async listOurs(only?: string): Promise<OwnComment[]> {
    const marked: (OwnComment & { author: unknown })[] = [];
    for await (const page of this.octokit.paginate.iterator(this.octokit.rest.issues.listComments, {
      ...this.issue(),
      per_page: 100,
    })) {
      for (const c of page.data) {
        const marker = ANY_MARKER.exec(c.body ?? '')?.[0];
        if (marker && (only === undefined || marker === only))
          marked.push({ id: c.id, marker, body: c.body ?? '', author: c.user });
      }
    }
    if (marked.length === 0) return [];
    const me = await this.identity.resolve(this.target.issueNumber);
    return marked
      .filter((c) => this.identity.wrote(c.author, me))
      .map(({ id, marker, body }) => ({ id, marker, body }));
  }

  /** This workflow job's comment: its id, null when there is none, undefined when listing failed. */
  private async findOwn(): Promise<number | null | undefined> {
    const ours = await this.guard.call(this.channel, 'list the PR comments', () =>
      this.listOurs(this.marker),
    );
    if (ours === undefined) return undefined;
    return ours[0]?.id ?? null;
  }

  /** Read, change and write one comment under its lock; GONE when the comment no longer exists. */
  private async editLocked(
    id: number,
    marker: string,
    change: Change,
  ): Promise<typeof GONE | void> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const lock = await this.locks.acquire({ comment: id });
      if (lock === 'gone') return GONE;
      this.identity.learn(lock.user);
      try {
        const current = await this.guard.call(this.channel, 'read the PR comment', () =>
          this.read(id),
        );
        if (current === undefined) return;
        if (current === GONE) return GONE;
        const next = change(parseComment(current));
        if (next === undefined) return;
        // A lease that may have run out could have been broken by another writer: start over.
        if (!lock.fresh()) continue;
        const body = this.render(marker, next);
        const edited = await this.guard.call(this.channel, 'update the PR comment', () =>
          this.edit(id, body),
        );
        return edited === GONE ? GONE : undefined;
      } finally {
        await lock.release();
      }
    }
  }

  /** Creates the comment with `entry`, under a lock on the pull request; if another writer
   * created it meanwhile, edits that one instead. */
  private async createLocked(entry: CommentEntry, change: Change): Promise<typeof GONE | void> {
    const lock = await this.locks.acquire({ issue: this.target.issueNumber });
    if (lock === 'gone') return GONE;
    this.identity.learn(lock.user);
    let existing: number | null | undefined;
    try {
      existing = await this.findOwn();
      if (existing === null) {
        const body = this.render(this.marker, [entry]);
        const created = await this.guard.call(this.channel, 'create the PR comment', () =>
          this.octokit.rest.issues.createComment({ ...this.issue(), body }),
        );
        if (created) {
          this.id = created.data.id;
          this.identity.learn(created.data.user);
        }
        return;
      }
    } finally {
      await lock.release();
    }
    if (existing === undefined) return;
    this.id = existing;
    return this.editLocked(existing, this.marker, change);
  }

  private async read(id: number): Promise<string | typeof GONE> {
    try {
      const { data } = await this.octokit.rest.issues.getComment({
        owner: this.target.owner,
        repo: this.target.repo,
        comment_id: id,
      });
      return data.body ?? '';
    } catch (e) {
      if (isNotFound(e)) return GONE;
      throw e;
    }
  }

  // Someone may have deleted the comment since it was found: then a new one is written.
  private async edit(id: number, body: string): Promise<'edited' | typeof GONE> {
    try {
      await this.octokit.rest.issues.updateComment({
        owner: this.target.owner,
        repo: this.target.repo,
        comment_id: id,
        body,
      });
      return 'edited';
    } catch (e) {
      if (isNotFound(e)) return GONE;
      throw e;
    }
  }
}
