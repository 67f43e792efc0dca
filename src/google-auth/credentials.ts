// Resolves the Google credentials every later phase uses: workload identity federation from
// the GitHub OIDC token (no credentials file), else Application Default Credentials. The first
// token is fetched here so that auth failures surface in the auth phase, with a fix.
import { readFile } from 'node:fs/promises';
import {
  Compute,
  gcpMetadata,
  GoogleAuth,
  IdentityPoolClient,
  Impersonated,
  type AuthClient,
  type GoogleAuthOptions,
} from 'google-auth-library';
import type { AuthSettings } from '../context.ts';
import type { Logger } from '../core/log.ts';
import {
  badCredentialsFile,
  describeAuthFailure,
  noCredentials,
  noOidcToken,
  type FailureContext,
} from './failures.ts';
import { GitHubOidcTokenSupplier } from './github-oidc.ts';
import { clientForCredentialFile } from './credential-file.ts';
import { maskCredentialFile, maskTokensOf } from './masking.ts';
import {
  CLOUD_PLATFORM_SCOPE,
  generateAccessTokenUrl,
  iamCredentialsBase,
  oidcAudience,
  projectFromEnv,
  projectFromServiceAccount,
  providerFromAudience,
  serviceAccountFromUrl,
  stsAudience,
  stsTokenUrl,
  validateProviderName,
  validateServiceAccount,
} from './names.ts';
import { errorMessage } from '../core/errors.ts';

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
  const file = runtime.env.GOOGLE_APPLICATION_CREDENTIALS;
  const json = file ? await readCredentialFile(file, runtime.setSecret) : undefined;
  const sa = settings.serviceAccount || undefined;
  if (sa) validateServiceAccount(sa);
  const clientOptions = {
    ...(runtime.eagerRefreshThresholdMillis
      ? { eagerRefreshThresholdMillis: runtime.eagerRefreshThresholdMillis }
      : {}),
    ...(settings.universe !== 'googleapis.com' ? { universeDomain: settings.universe } : {}),
  };
  const auth = new GoogleAuth({
    scopes: [CLOUD_PLATFORM_SCOPE],
    projectId: project || undefined,
    clientOptions,
  });
  const fileImpersonationUrl =
    typeof json?.service_account_impersonation_url === 'string'
      ? json.service_account_impersonation_url
      : undefined;
  const fileAudience = typeof json?.audience === 'string' ? json.audience : undefined;
  const oidcUrl = (json?.credential_source as { url?: unknown } | undefined)?.url;
  const federated = json?.type === 'external_account';
  const base: FailureContext = {
    stsUrl:
      typeof json?.token_url === 'string'
        ? json.token_url
        : federated
          ? `https://sts.${settings.universe}/v1/token`
          : undefined,
    iamUrl: fileImpersonationUrl,
    oidcUrl: typeof oidcUrl === 'string' ? oidcUrl : undefined,
    provider: fileAudience ? providerFromAudience(fileAudience) : undefined,
    serviceAccount: fileImpersonationUrl ? serviceAccountFromUrl(fileImpersonationUrl) : undefined,
    audience:
      oidcUrl && typeof oidcUrl === 'string'
        ? (new URL(oidcUrl).searchParams.get('audience') ?? undefined)
        : undefined,
    federated,
  };

  let source: AuthClient;
  try {
    source =
      (json && clientForCredentialFile(json, clientOptions)) ||
      (json
        ? await new GoogleAuth({
            scopes: [CLOUD_PLATFORM_SCOPE],
            credentials: json as GoogleAuthOptions['credentials'],
            clientOptions,
          }).getClient()
        : await auth.getClient());
  } catch (e) {
    const message = errorMessage(e);
    if (/default credentials/i.test(message)) throw noCredentials();
    if (file) throw badCredentialsFile(file, message);
    throw describeAuthFailure(e, base);
  }
  maskTokensOf(source, runtime.setSecret);

  let client = source;
  let failure = (): FailureContext => base;
  if (sa) {
    // Impersonation on top of ADC: the ADC identity needs Token Creator (or, federated, Workload
    // Identity User) on the service account.
    const iamBase = iamCredentialsBase(settings);
    client = new Impersonated({
      sourceClient: source,
      targetPrincipal: sa,
      targetScopes: [CLOUD_PLATFORM_SCOPE],
      lifetime: 3600,
      endpoint: iamBase,
      ...clientOptions,
    });
    maskTokensOf(client, runtime.setSecret);
    const iamUrl = generateAccessTokenUrl(iamBase, sa);
    failure = () => ({ ...base, iamUrl, serviceAccount: sa });
  }

  const credentialSa =
    sa ??
    base.serviceAccount ??
    (typeof json?.client_email === 'string' ? json.client_email : undefined);
  let projectId =
    project ||
    (typeof json?.project_id === 'string' ? json.project_id : undefined) ||
    projectFromServiceAccount(credentialSa) ||
    projectFromEnv(runtime.env);
  if (!projectId && source instanceof Compute) {
    // On Google Cloud the metadata server knows the project.
    projectId = (await gcpMetadata.project('project-id').catch(() => undefined)) || undefined;
  }
  if (projectId) client.projectId = projectId;

  const what = json
    ? `${String(json.type ?? 'credentials')} from GOOGLE_APPLICATION_CREDENTIALS`
    : source instanceof Compute
      ? 'the metadata server'
      : 'gcloud';
  const description = `Application Default Credentials (${what})${sa || base.serviceAccount ? ` as ${sa ?? base.serviceAccount}` : ''}`;
  return finish(client, projectId, description, failure, runtime);
}

async function readCredentialFile(
  path: string,
  setSecret: (v: string) => void,
): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw badCredentialsFile(
      path,
      `cannot read it (${(e as NodeJS.ErrnoException).code ?? errorMessage(e)})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badCredentialsFile(path, 'it is not JSON');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw badCredentialsFile(path, 'it is not a JSON object');
  maskCredentialFile(json as Record<string, unknown>, setSecret);
  return json as Record<string, unknown>;
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
