// Stand-in for the GitHub Actions OIDC endpoint behind ACTIONS_ID_TOKEN_REQUEST_URL:
// GET with `Authorization: bearer <request token>` and `audience=...` -> {"value": "<JWT>"}.
import { randomBytes } from 'node:crypto';
import {
  bearerToken,
  startJsonServer,
  type RecordedRequest,
  type Reply,
  type RunningServer,
} from './http.ts';
import { newSigningKey, signJwt, type SigningKey } from './jwt.ts';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

export interface OidcOptions {
  /** Claims merged over the defaults (repository, sub, ref...). */
  claims?: Record<string, unknown>;
  /** Lifetime of issued JWTs in seconds (GitHub's are short). Default 300. */
  lifetimeSeconds?: number;
}

export interface OidcServer extends RunningServer {
  /** The value for ACTIONS_ID_TOKEN_REQUEST_URL (already carries a query, as GitHub's does). */
  requestUrl: string;
  /** The value for ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  requestToken: string;
  key: SigningKey;
  /** Every JWT issued, in order. */
  issued: string[];
  /** Claims of the next tokens; change between calls to simulate another repository. */
  claims: Record<string, unknown>;
  lifetimeSeconds: number;
  /** When set, every token request fails with this reply (endpoint outage). */
  failWith?: Reply;
}

export async function startOidcServer(options: OidcOptions = {}): Promise<OidcServer> {
  const key = newSigningKey();
  const requestToken = `ghs_req_${randomBytes(18).toString('hex')}`;
  const state = {
    claims: {
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      repository: 'octo-org/octo-repo',
      repository_owner: 'octo-org',
      ref: 'refs/heads/main',
      sha: '0123456789abcdef0123456789abcdef01234567',
      workflow: 'train',
      actor: 'octocat',
      run_id: '42',
      event_name: 'push',
      ...options.claims,
    } as Record<string, unknown>,
    lifetimeSeconds: options.lifetimeSeconds ?? 300,
    failWith: undefined as Reply | undefined,
  };
  const issued: string[] = [];
  const handle = (req: RecordedRequest): Reply => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/.well-known/jwks') {
      return {
        status: 200,
        body: {
          keys: [
            { ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg: 'RS256', use: 'sig' },
          ],
        },
      };
    }
    if (url.pathname !== '/idtoken') return { status: 404, body: { message: 'Not Found' } };
    if (req.method !== 'GET') return { status: 405, body: { message: 'Method Not Allowed' } };
    if (bearerToken(req) !== requestToken) {
      return { status: 401, body: { message: 'Bad credentials' } };
    }
    if (result.failWith) return result.failWith;
    const audience = url.searchParams.get('audience') ?? 'https://github.com/octo-org';
    const now = Math.floor(Date.now() / 1000);
    const jwt = signJwt(key, {
      ...result.claims,
      iss: GITHUB_ISSUER,
      aud: audience,
      jti: randomBytes(8).toString('hex'),
      iat: now,
      nbf: now - 5,
      exp: now + result.lifetimeSeconds,
    });
    issued.push(jwt);
    return { status: 200, body: { count: 1, value: jwt } };
  };

  const server = await startJsonServer(handle);
  const result: OidcServer = {
    ...server,
    requestUrl: `${server.url}/idtoken?api-version=2.0`,
    requestToken,
    key,
    issued,
    ...state,
  };
  return result;
}
