// Fetches the GitHub Actions OIDC token (the subject token the STS exchange consumes), so no
// credentials file is ever written. google-auth-library calls this on every refresh; a fresh
// JWT each time is right, since GitHub's expire in minutes and refreshes are ~an hour apart.
import type { ExternalAccountSupplierContext, SubjectTokenSupplier } from 'google-auth-library';
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
    const attempts = this.options.attempts ?? 3;
    let last = '';
    for (let i = 1; i <= attempts; i++) {
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
        last = cause ?? (e as Error).message;
        if (i < attempts) await sleep(250 * i);
        continue;
      }
      const text = await res.text();
      if (res.ok) {
        let value: unknown;
        try {
          value = (JSON.parse(text) as { value?: unknown }).value;
        } catch {
          value = undefined;
        }
        if (typeof value !== 'string' || !value)
          throw oidcFailed('the response has no "value" token');
        this.options.setSecret(value);
        this.lastClaims = jwtClaims(value);
        return value;
      }
      last = `HTTP ${res.status}${summary(text)}`;
      if (res.status < 500) break;
      if (i < attempts) await sleep(250 * i);
    }
    throw oidcFailed(last);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function summary(body: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    return typeof message === 'string' ? `: ${message.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}
