// Turns what goes wrong while getting a token into a UserError('auth') that names the step
// and says what to do. Pure: works on the error object the library throws (GaxiosError, or
// the STS OAuthError that copies its response) and on what we know about the setup.
import { UserError } from '../core/errors.ts';
import { parseProviderName } from './names.ts';

export const NO_OIDC_TOKEN = 'No GitHub OIDC token available';
export const OIDC_FAILED = 'Could not get a GitHub OIDC token';
export const STS_REJECTED = 'Google STS rejected the GitHub OIDC token';
export const IMPERSONATION_DENIED = 'Permission denied impersonating service account';
export const SERVICE_ACCOUNT_NOT_FOUND = 'Service account not found';
export const NO_CREDENTIALS = 'No Google Cloud credentials found';
export const BAD_CREDENTIALS_FILE = 'Cannot use GOOGLE_APPLICATION_CREDENTIALS';
export const UNREACHABLE = 'Could not reach a Google token endpoint';
export const TOKEN_FAILED = 'Getting a Google access token failed';

/** What the failing flow was talking to; any of it may be unknown (e.g. gcloud ADC). */
export interface FailureContext {
  stsUrl?: string;
  /** The generateAccessToken URL (impersonation), if any. */
  iamUrl?: string;
  /** URL of the OIDC token (url-sourced credentials), if any. */
  oidcUrl?: string;
  provider?: string;
  serviceAccount?: string;
  /** The OIDC token's requested audience. */
  audience?: string;
  /** True when the caller is a federated (workload identity) principal, false for other ADC identities. */
  federated: boolean;
  /** The non-secret claims of the last GitHub OIDC token, for attribute-condition hints. */
  claims?: Record<string, unknown>;
}

interface ResponseLike {
  status?: number;
  data?: unknown;
  config?: { url?: string | URL };
}

const fields = (
  e: unknown,
): { message: string; code?: string; url?: string; response?: ResponseLike } => {
  const o = (e ?? {}) as {
    message?: unknown;
    code?: unknown;
    config?: { url?: unknown };
    response?: ResponseLike;
  };
  const url = o.response?.config?.url ?? o.config?.url;
  return {
    message: typeof o.message === 'string' ? o.message : String(e),
    code: typeof o.code === 'string' ? o.code : undefined,
    url: url === undefined ? undefined : String(url),
    response: o.response,
  };
};

const sameEndpoint = (a: string | undefined, b: string | undefined): boolean => {
  if (!a || !b) return false;
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.origin === y.origin && x.pathname === y.pathname;
  } catch {
    return false;
  }
};

const clip = (s: string, n = 300): string => (s.length > n ? `${s.slice(0, n)}...` : s);
/** A server's sentence, without its own final full stop (the message adds one). */
const sentence = (s: string): string => clip(s).replace(/\.+$/, '');

/** The workload identity principal set for the repository, for role-binding hints. */
function principalSetHint(ctx: FailureContext): string {
  const p = ctx.provider ? parseProviderName(ctx.provider) : undefined;
  const repo = typeof ctx.claims?.repository === 'string' ? ctx.claims.repository : 'OWNER/REPO';
  return p
    ? `principalSet://iam.googleapis.com/projects/${p.projectNumber}/locations/global/workloadIdentityPools/${p.pool}/attribute.repository/${repo}`
    : `principalSet://iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/attribute.repository/${repo}`;
}

export function noOidcToken(): UserError {
  return new UserError(
    'auth',
    `${NO_OIDC_TOKEN}: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set. ` +
      'Give the workflow or job `permissions: id-token: write` (and `contents: read`). ' +
      'Pull requests from forks never receive an OIDC token: run such jobs only for branches of this repository, ' +
      'or authenticate another way (google-github-actions/auth before this step).',
  );
}

export function oidcFailed(detail: string): UserError {
  return new UserError(
    'auth',
    `${OIDC_FAILED} from ACTIONS_ID_TOKEN_REQUEST_URL: ${detail}. ` +
      "This is GitHub's token service: re-run the job; if it persists check https://www.githubstatus.com. " +
      "A 401/403 means the job's request token is not valid for this run (it cannot be reused across jobs).",
  );
}

export function noCredentials(detail?: string): UserError {
  return new UserError(
    'auth',
    `${NO_CREDENTIALS}${detail ? ` (${detail})` : ''}. Set the \`workload-identity-provider\` (and usually \`service-account\`) inputs, ` +
      'or run google-github-actions/auth before this step, or set GOOGLE_APPLICATION_CREDENTIALS to a credentials file.',
  );
}

export function badCredentialsFile(path: string, detail: string): UserError {
  return new UserError(
    'auth',
    `${BAD_CREDENTIALS_FILE} "${path}": ${detail}. Point it at the credentials JSON written by google-github-actions/auth ` +
      '(or a service account key / gcloud ADC file), or unset it and use the `workload-identity-provider` input.',
  );
}

function stsRejected(
  data: { error?: unknown; error_description?: unknown },
  ctx: FailureContext,
): UserError {
  const error = String(data.error ?? 'error');
  const description = typeof data.error_description === 'string' ? data.error_description : '';
  const hints: string[] = [];
  if (/audience/i.test(description) && error === 'invalid_grant') {
    hints.push(
      `The token's audience is "${ctx.audience ?? '?'}": add it to the provider's allowed audiences` +
        ` (with none configured the provider accepts https://iam.googleapis.com/${ctx.provider ?? 'PROVIDER'}), or set the \`audience\` input to one it allows.`,
    );
  } else if (/attribute condition/i.test(description) || error === 'unauthorized_client') {
    const claims = ['repository', 'ref', 'event_name', 'workflow']
      .filter((k) => typeof ctx.claims?.[k] === 'string')
      .map((k) => `${k}=${String(ctx.claims?.[k])}`)
      .join(', ');
    hints.push(
      `The provider's attribute condition does not accept this workflow${claims ? ` (${claims})` : ''}: ` +
        "update the condition (e.g. assertion.repository == 'OWNER/REPO') or run from an allowed repository/branch.",
    );
  } else if (error === 'invalid_target') {
    hints.push(
      'Check the provider name (project NUMBER, pool and provider IDs) and that the pool and provider are enabled.',
    );
  } else if (/stale|expired/i.test(description)) {
    hints.push('The OIDC token expired before the exchange; check the runner clock and re-run.');
  } else {
    hints.push(
      "Check the provider's issuer (https://token.actions.githubusercontent.com), allowed audiences and attribute condition.",
    );
  }
  return new UserError(
    'auth',
    `${STS_REJECTED}${ctx.provider ? ` for provider ${ctx.provider}` : ''}: ${error}${description ? `: ${sentence(description)}` : ''}. ${hints.join(' ')}`,
  );
}

function impersonationFailed(status: number, data: unknown, ctx: FailureContext): UserError {
  const err = ((data ?? {}) as { error?: { message?: unknown; status?: unknown } }).error ?? {};
  const what =
    [err.status, err.message].filter((x) => typeof x === 'string').join(': ') || `HTTP ${status}`;
  const sa = ctx.serviceAccount ?? 'the service account';
  if (status === 404) {
    return new UserError(
      'auth',
      `${SERVICE_ACCOUNT_NOT_FOUND}: ${sa} (${clip(what)}). Check the \`service-account\` email (NAME@PROJECT_ID.iam.gserviceaccount.com) and that it is not deleted or disabled.`,
    );
  }
  const fix = ctx.federated
    ? `Grant roles/iam.workloadIdentityUser on service account ${sa} to the workflow's federated identity, e.g.\n` +
      `  gcloud iam service-accounts add-iam-policy-binding ${sa} --role=roles/iam.workloadIdentityUser --member=${principalSetHint(ctx)}\n` +
      '(roles/iam.serviceAccountTokenCreator for that member also allows it.)'
    : `Grant roles/iam.serviceAccountTokenCreator on service account ${sa} to the identity of the Application Default Credentials.`;
  return new UserError(
    'auth',
    `${IMPERSONATION_DENIED} ${sa}: ${sentence(what)}. ${fix}\nNew IAM bindings can take a few minutes to apply.`,
  );
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'ECONNRESET',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Maps any failure from the first (or a later) token fetch into a UserError('auth'). */
export function describeAuthFailure(e: unknown, ctx: FailureContext): UserError {
  if (e instanceof UserError) return e;
  const f = fields(e);
  const res = f.response;
  if (res && typeof res.status === 'number') {
    const data = res.data as
      { error?: unknown; error_description?: unknown; message?: unknown } | undefined;
    if (sameEndpoint(f.url, ctx.oidcUrl)) {
      const msg = typeof data?.message === 'string' ? `: ${clip(data.message)}` : '';
      return oidcFailed(`HTTP ${res.status}${msg}`);
    }
    const oauthShape = typeof data?.error === 'string';
    if (sameEndpoint(f.url, ctx.stsUrl) || (oauthShape && !sameEndpoint(f.url, ctx.iamUrl))) {
      return stsRejected(data ?? {}, ctx);
    }
    if (sameEndpoint(f.url, ctx.iamUrl) || /:generateAccessToken$/.test(f.url ?? '')) {
      return impersonationFailed(res.status, data, { ...ctx, serviceAccount: ctx.serviceAccount });
    }
    return new UserError(
      'auth',
      `${TOKEN_FAILED}: ${f.url ?? 'request'} answered HTTP ${res.status}: ${clip(JSON.stringify(data ?? ''))}.`,
    );
  }
  if (/Could not load the default credentials/i.test(f.message)) return noCredentials();
  const codeMatch =
    f.code && NETWORK_CODES.has(f.code) ? f.code : /\b(E[A-Z]{4,})\b/.exec(f.message)?.[1];
  if (codeMatch && NETWORK_CODES.has(codeMatch)) {
    const where = f.url ? new URL(f.url).origin : 'the token endpoint';
    return new UserError(
      'auth',
      `${UNREACHABLE}: ${where} (${codeMatch}). Check the sts-endpoint / iamcredentials-endpoint / universe inputs and the runner's network access to Google.`,
    );
  }
  return new UserError('auth', `${TOKEN_FAILED}: ${clip(f.message)}`);
}
