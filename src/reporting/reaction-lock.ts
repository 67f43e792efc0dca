// A mutex on a PR comment (or on the pull request itself) made of a reaction. GitHub has no
// conditional update for comments, so writers that read, change and write one comment at the
// same time would lose each other's changes. Creating a reaction is GitHub's one atomic
// test-and-set within the comment permissions: for the same user and content it answers
// 201 when it created the reaction and 200 when the reaction was already there. Every leg of
// a workflow uses the same token (the same user), so 201 means "the lock is mine".
//
// A holder that dies leaves its reaction behind: one older than the lease is broken (deleted)
// by the next writer. Holders give up before writing once their lease may have run out, so a
// broken lock never has two writers.
//
// When reactions cannot be used (refused, or a 404 on a comment that a GET shows to exist),
// writers go on without the lock, and say so once.

import type { getOctokit } from '@actions/github';
import { errorMessage } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { backoffDelay, jitter } from '../core/retry.ts';
import { retry } from '../retry/index.ts';

type Octokit = ReturnType<typeof getOctokit>;

export const LOCK_CONTENT = 'eyes';
/** A holder does one GET and one PATCH; 30 s is far beyond that, short enough to recover from a crash. */
export const LEASE_MS = 30_000;
/** How long a writer waits for the lock before writing without it (and saying so). */
export const ACQUIRE_TIMEOUT_MS = 90_000;

export type LockTarget = { comment: number } | { issue: number };

export interface Lock {
  /** False when reactions could not be used: the caller writes without the lock. */
  held: boolean;
  /** The reaction's author, as GitHub gave it: the token's own user (see token-identity.ts). */
  user?: unknown;
  /** Whether the lease still leaves room for a write of `marginMs`. */
  fresh(marginMs?: number): boolean;
  release(): Promise<void>;
}

export type LockResult = Lock | 'gone';

interface ReactionLockOptions {
  owner: string;
  repo: string;
  log: Logger;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

/** The lock is another writer's (`broken`: it was stale, and has just been removed). */
class Held extends Error {
  readonly broken: boolean;
  constructor(broken: boolean) {
    super(broken ? 'a stale comment lock was broken' : 'the comment lock is held');
    this.broken = broken;
  }
}

/** Waits between requests for a held lock (before jitter): 150 ms doubling to 1.2 s. */
const LOCK_BACKOFF = { firstMs: 150, maxMs: 1_200 };

interface Routes {
  create(): ReturnType<Octokit['rest']['reactions']['createForIssue']>;
  remove(reaction: number): Promise<unknown>;
}

function status(e: unknown): number | undefined {
  const s = (e as { status?: number })?.status;
  return typeof s === 'number' ? s : undefined;
}

export class ReactionLocks {
  private readonly octokit: Octokit;
  private readonly opts: Required<ReactionLockOptions>;
  private warned = false;

  constructor(octokit: Octokit, opts: ReactionLockOptions) {
    this.octokit = octokit;
    this.opts = {
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      now: Date.now,
      random: Math.random,
      ...opts,
    };
  }

  private routes(target: LockTarget): Routes {
    const { owner, repo } = this.opts;
    const base = { owner, repo, content: LOCK_CONTENT } as const;
    if ('comment' in target) {
      const id = target.comment;
      return {
        create: () =>
          this.octokit.rest.reactions.createForIssueComment({ ...base, comment_id: id }),
        remove: (reaction: number) =>
          this.octokit.rest.reactions.deleteForIssueComment({
            owner,
            repo,
            comment_id: id,
            reaction_id: reaction,
          }),
      };
    }
    const n = target.issue;
    return {
      create: () => this.octokit.rest.reactions.createForIssue({ ...base, issue_number: n }),
      remove: (reaction: number) =>
        this.octokit.rest.reactions.deleteForIssue({
          owner,
          repo,
          issue_number: n,
          reaction_id: reaction,
        }),
    };
  }

  /** Waits for the lock; 'gone' when the comment no longer exists. */
  async acquire(target: LockTarget): Promise<LockResult> {
    const { log, now, sleep, random } = this.opts;
    const routes = this.routes(target);
    try {
      return await retry(() => this.tryAcquire(target, routes), {
        retryable: (e) => e instanceof Held,
        // A broken lock is asked for again at once; a held one after a jittered wait, so legs
        // that collide once do not collide again in step.
        schedule: (failures, e) =>
          (e as Held).broken ? 0 : jitter(backoffDelay(failures, LOCK_BACKOFF), 0.5, random),
        budget: { totalMs: ACQUIRE_TIMEOUT_MS },
        sleep,
        now,
      });
    } catch (e) {
      if (!(e instanceof Held)) throw e;
      log.warning(
        'Another writer held the PR comment for over 90 s; writing this entry without waiting for it.',
      );
      return unlocked;
    }
  }

  /** One request for the lock: it, 'gone' or `unlocked`, or Held when another writer has it. */
  private async tryAcquire(target: LockTarget, routes: Routes): Promise<LockResult> {
    const { log, now } = this.opts;
    let answer;
    try {
      answer = await routes.create();
    } catch (e) {
      // A 404 here need not mean the comment is gone: only a GET of it tells.
      if (status(e) === 404 && 'comment' in target && (await this.isGone(target.comment)))
        return 'gone';
      this.unusable(e);
      return unlocked;
    }
    const acquiredAt = now();
    if (answer.status === 201) {
      const reaction = answer.data.id;
      return {
        held: true,
        user: answer.data.user,
        fresh: (margin = 5_000) => now() - acquiredAt < LEASE_MS - margin,
        release: async () => {
          try {
            await routes.remove(reaction);
          } catch (e) {
            // Left behind, it expires after the lease.
            log.debug(`GitHub: could not release the comment lock: ${errorMessage(e)}`);
          }
        },
      };
    }
    // 200: someone holds it. Its age is measured on GitHub's clock (the response's Date).
    const serverNow = Date.parse(String(answer.headers.date ?? '')) || Date.now();
    const age = serverNow - Date.parse(answer.data.created_at);
    if (Number.isFinite(age) && age > LEASE_MS) {
      log.debug(`GitHub: breaking a comment lock held for ${Math.round(age / 1000)} s.`);
      await routes.remove(answer.data.id).catch(() => undefined);
      throw new Held(true);
    }
    throw new Held(false);
  }

  /**
   * The author of a reaction this token adds to pull request `issue` (removed at once when it
   * is new; one already there is another writer's lock, left alone); undefined on failure.
   */
  async reactionUser(issue: number): Promise<unknown> {
    const routes = this.routes({ issue });
    try {
      const answer = await routes.create();
      if (answer.status === 201) await routes.remove(answer.data.id).catch(() => undefined);
      return answer.data.user;
    } catch (e) {
      this.opts.log.debug(`GitHub: could not add a reaction: ${errorMessage(e)}`);
      return undefined;
    }
  }

  /** Whether the comment no longer exists (GET answers 404); any other answer: it may. */
  private async isGone(comment: number): Promise<boolean> {
    const { owner, repo } = this.opts;
    try {
      await this.octokit.rest.issues.getComment({ owner, repo, comment_id: comment });
      return false;
    } catch (e) {
      return status(e) === 404;
    }
  }

  private unusable(e: unknown): void {
    const code = status(e);
    const why = `${code !== undefined ? `HTTP ${code}: ` : ''}${errorMessage(e).split('\n')[0]}`;
    if (this.warned) {
      this.opts.log.debug(`GitHub: the comment lock is not available (${why}).`);
      return;
    }
    this.warned = true;
    this.opts.log.warning(
      `GitHub: the PR comment's lock (a reaction) cannot be used (${why}); the comment is updated without it, ` +
        "so legs finishing at the same moment may overwrite each other's entries until their next update.",
    );
  }
}

const unlocked: Lock = { held: false, fresh: () => true, release: async () => {} };
