// Resolves the Google credentials every later phase uses: workload identity federation from
// the GitHub OIDC token (no credentials file), else Application Default Credentials. The first
// token is fetched here so that auth failures surface in the auth phase, with a fix.
import { IdentityPoolClient, type AuthClient } from 'google-auth-library';
import type { AuthSettings } from '../context.ts';
import type { Logger } from '../core/log.ts';
import { describeAuthFailure, noOidcToken, type FailureContext } from './failures.ts';
import { GitHubOidcTokenSupplier } from './github-oidc.ts';
import { maskTokensOf } from './masking.ts';
import {
  CLOUD_PLATFORM_SCOPE,
  generateAccessTokenUrl,
  iamCredentialsBase,
  oidcAudience,
  projectFromEnv,
  projectFromServiceAccount,
  stsAudience,
  stsTokenUrl,
  validateProviderName,
  validateServiceAccount,
} from './names.ts';
import { adcCredentials } from './adc.ts';

export interface GoogleCredentials {
  /** Handed to Vertex/Storage clients; refreshes itself during multi-hour waits. */
  authClient: AuthClient;
  /** The `project` input, else the credentials' project, else GOOGLE_CLOUD_PROJECT & co. */
  projectId?: string;
  /** The current access token, masked via setSecret before it is returned. */
  getAccessToken(): Promise<string>;
  /** For the log, e.g. "workload identity federation as SA@..."; never secret. */
  description: string;
}

export interface AuthRuntime {
  env: NodeJS.ProcessEnv;
  setSecret(value: string): void;
  log: Logger;
  /**
   * How long before expiry a token is refreshed (google-auth-library's eagerRefreshThresholdMillis,
   * default 5 minutes). Tests shorten it to exercise refreshes with seconds-long tokens.
   */
  eagerRefreshThresholdMillis?: number;
}

const SUBJECT_TOKEN_TYPE_JWT = 'urn:ietf:params:oauth:token-type:jwt';

export async function resolveCredentials(
  settings: AuthSettings,
  project: string | undefined,
  runtime: AuthRuntime,
): Promise<GoogleCredentials> {
  if (settings.workloadIdentityProvider)
    return workloadIdentity(settings, settings.workloadIdentityProvider, project, runtime);
  return applicationDefault(settings, project, runtime);
}

async function workloadIdentity(
  settings: AuthSettings,
  provider: string,
  project: string | undefined,
  runtime: AuthRuntime,
): Promise<GoogleCredentials> {
  validateProviderName(provider);
  const sa = settings.serviceAccount || undefined;
  if (sa) validateServiceAccount(sa);
  const requestUrl = runtime.env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const requestToken = runtime.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!requestUrl || !requestToken) throw noOidcToken();
  runtime.setSecret(requestToken);

  const audience = oidcAudience(provider, settings.audience);
  const supplier = new GitHubOidcTokenSupplier({
    requestUrl,
    requestToken,
    audience,
    setSecret: runtime.setSecret,
  });
  const stsUrl = stsTokenUrl(settings);
  const iamUrl = sa ? generateAccessTokenUrl(iamCredentialsBase(settings), sa) : undefined;
  const client = new IdentityPoolClient({
    audience: stsAudience(provider),
    subject_token_type: SUBJECT_TOKEN_TYPE_JWT,
    token_url: stsUrl,
    subject_token_supplier: supplier,
    service_account_impersonation_url: iamUrl,
    scopes: [CLOUD_PLATFORM_SCOPE],
    universe_domain: settings.universe,
    eagerRefreshThresholdMillis: runtime.eagerRefreshThresholdMillis,
  });
  maskTokensOf(client, runtime.setSecret);
  const projectId = project || projectFromServiceAccount(sa) || projectFromEnv(runtime.env);
  // A known project keeps the library from asking Cloud Resource Manager for it.
  if (projectId) client.projectId = projectId;

  const failure = (): FailureContext => ({
    stsUrl,
    iamUrl,
    provider,
    serviceAccount: sa,
    audience,
    federated: true,
    claims: supplier.lastClaims,
  });
  const description = `workload identity federation (${provider}) ${sa ? `as ${sa}` : 'with direct resource access (no service account)'}`;
  return finish(client, projectId, description, failure, runtime);
}

async function applicationDefault(
  settings: AuthSettings,
  project: string | undefined,
  runtime: AuthRuntime,
): Promise<GoogleCredentials> {
  const adc = await adcCredentials(settings, project, runtime);
  return finish(adc.client, adc.projectId, adc.description, adc.failure, runtime);
}

/** Fetches the first token now (the library is lazy) and wraps the client. */
async function finish(
  client: AuthClient,
  projectId: string | undefined,
  description: string,
  failure: () => FailureContext,
  runtime: AuthRuntime,
): Promise<GoogleCredentials> {
  const getAccessToken = async (): Promise<string> => {
    let token: string | null | undefined;
    try {
      token = (await client.getAccessToken()).token;
    } catch (e) {
      throw describeAuthFailure(e, failure());
    }
    if (!token)
      throw describeAuthFailure(new Error('the credentials returned no access token'), failure());
    runtime.setSecret(token);
    return token;
  };
  await getAccessToken();
  runtime.log.info(
    `Authenticated to Google Cloud with ${description}${projectId ? `, project ${projectId}` : ''}.`,
  );
  return { authClient: client, projectId, getAccessToken, description };
}
