// Fetches the GitHub Actions OIDC token (the subject token the STS exchange consumes), so no
// credentials file is ever written. google-auth-library calls this on every refresh; a fresh
// JWT each time is right, since GitHub's expire in minutes and refreshes are ~an hour apart.
import type { ExternalAccountSupplierContext, SubjectTokenSupplier } from 'google-auth-library';
import { errorMessage } from '../core/errors.ts';
import { DEFAULT_JITTER, jitter } from '../core/retry.ts';
import { retry } from '../retry/index.ts';
import { oidcFailed } from './failures.ts';

export interface GitHubOidcOptions {
  /** ACTIONS_ID_TOKEN_REQUEST_URL */
  requestUrl: string;
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN (masked by the caller before this runs) */
  requestToken: string;
  audience: string;
  setSecret(value: string): void;
  /** Attempts for 5xx and network failures; default 3. */
  attempts?: number;
}

/** Non-secret claims (repository, ref...) of a JWT, for error hints; undefined if unreadable. */
export function jwtClaims(jwt: string): Record<string, unknown> | undefined {
  try {
    const payload = jwt.split('.')[1];
    return payload
      ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export class GitHubOidcTokenSupplier implements SubjectTokenSupplier {
  readonly options: GitHubOidcOptions;
  /** Claims of the last token fetched. */
  lastClaims: Record<string, unknown> | undefined;

  constructor(options: GitHubOidcOptions) {
    this.options = options;
  }

  get tokenUrl(): string {
    const url = new URL(this.options.requestUrl);
    url.searchParams.set('audience', this.options.audience);
    return url.toString();
  }

  async getSubjectToken(_context?: ExternalAccountSupplierContext): Promise<string> {
    try {
      return await retry(() => this.fetchToken(), {
        retryable: (e) => e instanceof TokenRequestFailed && e.retryable,
        schedule: (failures) => jitter(250 * failures, DEFAULT_JITTER, Math.random),
        budget: { attempts: this.options.attempts ?? 3 },
      });
    } catch (e) {
      throw e instanceof TokenRequestFailed ? oidcFailed(e.message) : e;
    }
  }

  /** One request for the token. */
  private async fetchToken(): Promise<string> {
    let res: Response;
    try {
      res = await fetch(this.tokenUrl, {
        headers: {
          authorization: `bearer ${this.options.requestToken}`,
          accept: 'application/json',
        },
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      throw new TokenRequestFailed(cause ?? errorMessage(e), true);
    }
    const text = await res.text();
    if (!res.ok) {
      // 5xx may pass; anything else is an answer.
      throw new TokenRequestFailed(`HTTP ${res.status}${summary(text)}`, res.status >= 500);
    }
    let value: unknown;
    try {
      value = (JSON.parse(text) as { value?: unknown }).value;
    } catch {
      value = undefined;
    }
    if (typeof value !== 'string' || !value) throw oidcFailed('the response has no "value" token');
    this.options.setSecret(value);
    this.lastClaims = jwtClaims(value);
    return value;
  }
}

/** A token request that failed: network errors and 5xx are worth another try. */
class TokenRequestFailed extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.retryable = retryable;
  }
}

function summary(body: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    return typeof message === 'string' ? `: ${message.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}
