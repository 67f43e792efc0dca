// Which comments are the action's: only those written by the github-token's own user. Anyone
// may write a comment that starts with the action's marker; only its author tells them apart.
// GitHub names a token's user in two ways: GET /user, which answers for a personal access
// token but refuses an app installation token (the workflow's GITHUB_TOKEN is one), and the
// `user` of anything the token creates, which works for both. So the user is taken from a
// reaction the token adds (the comment locks' reactions, or one on the pull request made and
// removed for that), or from a comment it created, and GET /user is the fallback.

import type { getOctokit } from '@actions/github';
import type { Logger } from '../core/log.ts';
import type { ReactionLocks } from './reaction-lock.ts';
import { errorMessage } from '../core/errors.ts';

type Octokit = ReturnType<typeof getOctokit>;

export interface GitHubUser {
  id: number;
  login: string;
}

function asUser(value: unknown): GitHubUser | undefined {
  const user = value as Partial<GitHubUser> | null | undefined;
  return typeof user?.id === 'number' && typeof user.login === 'string'
    ? { id: user.id, login: user.login }
    : undefined;
}

export class TokenIdentity {
  private known?: GitHubUser;
  private looked = false;
  private readonly octokit: Octokit;
  private readonly locks: ReactionLocks;
  private readonly log: Logger;

  constructor(octokit: Octokit, locks: ReactionLocks, log: Logger) {
    this.octokit = octokit;
    this.locks = locks;
    this.log = log;
  }

  /** Notes the author GitHub gave something this token just created (a reaction, a comment). */
  learn(author: unknown): void {
    this.known ??= asUser(author);
  }

  /**
   * The token's user: known already, else from a reaction on pull request `issue`, else from
   * GET /user. Undefined when neither answers (said once, as a warning); never throws.
   */
  async resolve(issue: number): Promise<GitHubUser | undefined> {
    if (this.known || this.looked) return this.known;
    this.looked = true;
    this.learn(await this.locks.reactionUser(issue));
    if (!this.known) {
      try {
        this.learn((await this.octokit.rest.users.getAuthenticated()).data);
      } catch (e) {
        this.log.debug(`GitHub: GET /user: ${errorMessage(e).split('\n')[0]}`);
      }
    }
    if (!this.known)
      this.log.warning(
        'GitHub did not say which user the github-token is (no reaction could be added, and GET /user was refused): ' +
          "no existing PR comment is taken for the action's own, since anyone can write one that looks like it.",
      );
    return this.known;
  }

  /** Whether a comment's author is the token's user (`me`, from resolve). */
  wrote(author: unknown, me: GitHubUser | undefined): boolean {
    return me !== undefined && asUser(author)?.id === me.id;
  }
}
