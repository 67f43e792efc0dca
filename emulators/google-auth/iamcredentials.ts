// Stand-in for IAM Credentials generateAccessToken: the caller's STS token must be valid;
// denial answers Google's 403 PERMISSION_DENIED error JSON.
import { randomBytes } from 'node:crypto';
import { googleStatusError } from '../shared/http.ts';
import {
  bearerToken,
  parseBody,
  startJsonServer,
  type RecordedRequest,
  type Reply,
  type RunningServer,
} from './http.ts';
import type { IssuedToken } from './sts.ts';

export interface IamCredentialsOptions {
  /** Validates the caller's bearer token (an STS token, or any token a test trusts). */
  validCallerToken: (token: string) => boolean;
  /** Fixed lifetime of issued tokens in seconds; default: the requested `lifetime`. */
  lifetimeSeconds?: number;
  /**
   * Makes each issued token's value (default: random). Tests whose other servers must know
   * the token in advance use it, e.g. a registry whose htpasswd password is the access token.
   */
  issueToken?: () => string;
}

export interface IamCredentialsServer extends RunningServer {
  lifetimeSeconds?: number;
  /** Service accounts the caller may not impersonate (403), or `true` for all. */
  deny: Set<string> | true | undefined;
  /** Service accounts that do not exist (404). */
  missing: Set<string>;
  issued: IssuedToken[];
  validToken(token: string): IssuedToken | undefined;
}

const PERMISSION = 'iam.serviceAccounts.getAccessToken';

const googleError = (code: number, status: string, message: string, details: unknown[] = []) =>
  googleStatusError(code, status, message, details);

export async function startIamCredentialsServer(
  options: IamCredentialsOptions,
): Promise<IamCredentialsServer> {
  const issued: IssuedToken[] = [];
  const pattern = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/;

  const generate = (req: RecordedRequest): Reply => {
    const match = pattern.exec(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (req.method !== 'POST' || !match) return googleError(404, 'NOT_FOUND', 'Not Found');
    const sa = match[1] as string;
    const caller = bearerToken(req);
    if (!caller || !options.validCallerToken(caller)) {
      return googleError(
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
    }
    const denied = result.deny === true || result.deny?.has(sa);
    if (denied) {
      return googleError(
        403,
        'PERMISSION_DENIED',
        `Permission '${PERMISSION}' denied on resource (or it may not exist).`,
        [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'IAM_PERMISSION_DENIED',
            domain: 'iam.googleapis.com',
            metadata: { permission: PERMISSION },
          },
        ],
      );
    }
    if (result.missing.has(sa)) {
      return googleError(404, 'NOT_FOUND', `Not found; Gaia id not found for email ${sa}`);
    }
    const body = parseBody(req);
    const requested = /^(\d+)s$/.exec(body.lifetime ?? '3600s');
    const lifetime = result.lifetimeSeconds ?? (requested ? Number(requested[1]) : 3600);
    const token = options.issueToken?.() ?? `ya29.iam.${randomBytes(24).toString('base64url')}`;
    const expiresAt = Date.now() + lifetime * 1000;
    issued.push({ token, kind: 'iam', expiresAt, principal: sa });
    return {
      status: 200,
      body: { accessToken: token, expireTime: new Date(expiresAt).toISOString() },
    };
  };

  const server = await startJsonServer(generate);
  const result: IamCredentialsServer = {
    ...server,
    lifetimeSeconds: options.lifetimeSeconds,
    deny: undefined,
    missing: new Set(),
    issued,
    validToken: (token) => issued.find((t) => t.token === token && t.expiresAt > Date.now()),
  };
  return result;
}
