// Stand-in for Google's Security Token Service token exchange (POST /v1/token): checks the
// RFC 8693 fields the way Google does for a workload identity pool provider and answers
// with Google's success and error shapes.
import { randomBytes } from 'node:crypto';
import { GITHUB_ISSUER } from './oidc.ts';
import { googleStatusError } from '../shared/http.ts';
import {
  parseBody,
  startJsonServer,
  type Handler,
  type Reply,
  type RunningServer,
} from './http.ts';
import { verifyJwt, type SigningKey } from './jwt.ts';

export interface IssuedToken {
  token: string;
  kind: 'sts' | 'iam';
  /** ms since epoch */
  expiresAt: number;
  /** For IAM tokens: the impersonated service account. For STS tokens: the federated subject. */
  principal: string;
}

export interface StsOptions {
  /** Provider resource name, projects/N/locations/global/workloadIdentityPools/P/providers/Q. */
  provider: string;
  /** The OIDC issuer's signing key (from the OIDC stand-in). */
  issuerKey: SigningKey;
  /** Audiences the provider accepts; default `https://iam.googleapis.com/<provider>`. */
  allowedAudiences?: string[];
  expiresInSeconds?: number;
}

export interface StsServer extends RunningServer {
  provider: string;
  allowedAudiences: string[];
  expiresInSeconds: number;
  /** A CEL-like attribute condition over the JWT claims; false -> unauthorized_client. */
  attributeCondition?: (claims: Record<string, unknown>) => boolean;
  /** When set, every exchange fails with this reply. */
  failWith?: Reply;
  issued: IssuedToken[];
  /** The token's record when it was issued here and has not expired. */
  validToken(token: string): IssuedToken | undefined;
}

const oauthError = (status: number, error: string, description: string): Reply => ({
  status,
  body: { error, error_description: description },
});

export async function startStsServer(options: StsOptions): Promise<StsServer> {
  const issued: IssuedToken[] = [];

  const exchange: Handler = (req) => {
    if (req.method !== 'POST' || new URL(req.url, 'http://x').pathname !== '/v1/token') {
      return googleStatusError(404, 'NOT_FOUND', 'Not Found');
    }
    if (result.failWith) return result.failWith;
    const form = parseBody(req);
    if (form.grant_type !== 'urn:ietf:params:oauth:grant-type:token-exchange') {
      return oauthError(
        400,
        'unsupported_grant_type',
        `Unsupported grant_type: ${form.grant_type ?? ''}`,
      );
    }
    if (form.requested_token_type !== 'urn:ietf:params:oauth:token-type:access_token') {
      return oauthError(400, 'invalid_request', 'Invalid value for "requested_token_type".');
    }
    const jwtTypes = [
      'urn:ietf:params:oauth:token-type:jwt',
      'urn:ietf:params:oauth:token-type:id_token',
    ];
    if (!jwtTypes.includes(form.subject_token_type ?? '')) {
      return oauthError(400, 'invalid_request', 'Invalid value for "subject_token_type".');
    }
    if (form.audience !== `//iam.googleapis.com/${result.provider}`) {
      return oauthError(
        400,
        'invalid_target',
        'The target service indicated by the "audience" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn\'t exist.',
      );
    }
    const verified = verifyJwt(options.issuerKey, form.subject_token ?? '');
    if ('reason' in verified) {
      return oauthError(
        400,
        'invalid_grant',
        `Unable to verify the ID Token signature: ${verified.reason}.`,
      );
    }
    const claims = verified.claims;
    if (claims.iss !== GITHUB_ISSUER) {
      return oauthError(
        400,
        'invalid_grant',
        `The issuer in ID Token ${String(claims.iss)} does not match the expected ones: ${GITHUB_ISSUER}.`,
      );
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) {
      return oauthError(
        400,
        'invalid_grant',
        `ID Token issued at ${String(claims.iat)} is stale to sign-in.`,
      );
    }
    const aud = Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud)];
    if (!aud.some((a) => result.allowedAudiences.includes(a))) {
      return oauthError(
        400,
        'invalid_grant',
        `The audience in ID Token [${aud.join(', ')}] does not match the expected audience.`,
      );
    }
    if (result.attributeCondition && !result.attributeCondition(claims)) {
      return oauthError(
        400,
        'unauthorized_client',
        'The given credential is rejected by the attribute condition.',
      );
    }
    const token = `ya29.sts.${randomBytes(24).toString('base64url')}`;
    issued.push({
      token,
      kind: 'sts',
      expiresAt: Date.now() + result.expiresInSeconds * 1000,
      principal: String(claims.sub),
    });
    return {
      status: 200,
      body: {
        access_token: token,
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        token_type: 'Bearer',
        expires_in: result.expiresInSeconds,
      },
    };
  };

  const server = await startJsonServer(exchange);
  const result: StsServer = {
    ...server,
    provider: options.provider,
    allowedAudiences: options.allowedAudiences ?? [
      `https://iam.googleapis.com/${options.provider}`,
    ],
    expiresInSeconds: options.expiresInSeconds ?? 3600,
    issued,
    validToken: (token) => issued.find((t) => t.token === token && t.expiresAt > Date.now()),
  };
  return result;
}
