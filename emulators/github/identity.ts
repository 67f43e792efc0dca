// Who a token is, as GitHub tells it: comments and reactions carry the user that made them,
// and GET /user answers for a personal access token but refuses an app installation token
// (the workflow's GITHUB_TOKEN is one) with 403 "Resource not accessible by integration".

export interface GitHubUser {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

/** The author of everything the workflow's GITHUB_TOKEN writes. */
export const ACTIONS_BOT: GitHubUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
/** Someone commenting on the pull request by hand. */
export const HUMAN: GitHubUser = { login: 'mallory', id: 9001, type: 'User' };

export interface TokenIdentity {
  user: GitHubUser;
  /** An app installation token: GET /user is refused. */
  installation: boolean;
}

/** Tokens not registered are installation tokens of the Actions bot, as GITHUB_TOKEN is. */
export class Identities {
  private readonly byToken = new Map<string, TokenIdentity>();

  register(token: string, identity: TokenIdentity): void {
    this.byToken.set(token, identity);
  }

  /** The identity behind an Authorization header (`token X` or `Bearer X`). */
  of(authorization: string): TokenIdentity {
    const token = authorization.replace(/^(token|bearer)\s+/i, '');
    return this.byToken.get(token) ?? { user: ACTIONS_BOT, installation: true };
  }
}
