// Application Default Credentials: the credentials file GOOGLE_APPLICATION_CREDENTIALS names,
// or whatever google-auth-library finds (gcloud, the metadata server), impersonating the
// `service-account` input when it is set.
import { readFile } from 'node:fs/promises';
import {
  Compute,
  gcpMetadata,
  GoogleAuth,
  Impersonated,
  type AuthClient,
  type GoogleAuthOptions,
} from 'google-auth-library';
import type { AuthSettings } from '../context.ts';
import { errorMessage } from '../core/errors.ts';
import {
  badCredentialsFile,
  describeAuthFailure,
  noCredentials,
  type FailureContext,
} from './failures.ts';
import { clientForCredentialFile } from './credential-file.ts';
import { maskCredentialFile, maskTokensOf } from './masking.ts';
import {
  CLOUD_PLATFORM_SCOPE,
  generateAccessTokenUrl,
  iamCredentialsBase,
  projectFromEnv,
  projectFromServiceAccount,
  providerFromAudience,
  serviceAccountFromUrl,
  validateServiceAccount,
} from './names.ts';

/** What ADC needs of the auth runtime. */
export interface AdcRuntime {
  env: NodeJS.ProcessEnv;
  setSecret(value: string): void;
  eagerRefreshThresholdMillis?: number;
}

export interface AdcCredentials {
  client: AuthClient;
  projectId?: string;
  description: string;
  failure: () => FailureContext;
}

type AdcClientOptions = { eagerRefreshThresholdMillis?: number; universeDomain?: string };

/** What a failure with the credentials file (or without one) is explained with. */
function credentialFileContext(
  json: Record<string, unknown> | undefined,
  universe: string,
): FailureContext {
  const fileImpersonationUrl =
    typeof json?.service_account_impersonation_url === 'string'
      ? json.service_account_impersonation_url
      : undefined;
  const fileAudience = typeof json?.audience === 'string' ? json.audience : undefined;
  const oidcUrl = (json?.credential_source as { url?: unknown } | undefined)?.url;
  const federated = json?.type === 'external_account';
  return {
    stsUrl:
      typeof json?.token_url === 'string'
        ? json.token_url
        : federated
          ? `https://sts.${universe}/v1/token`
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
}

/** The ADC client itself: from the credentials file when there is one, else as the library finds it. */
async function adcSource(
  json: Record<string, unknown> | undefined,
  file: string | undefined,
  project: string | undefined,
  clientOptions: AdcClientOptions,
  base: FailureContext,
): Promise<AuthClient> {
  const auth = new GoogleAuth({
    scopes: [CLOUD_PLATFORM_SCOPE],
    projectId: project || undefined,
    clientOptions,
  });
  try {
    return (
      (json && clientForCredentialFile(json, clientOptions)) ||
      (json
        ? await new GoogleAuth({
            scopes: [CLOUD_PLATFORM_SCOPE],
            credentials: json as GoogleAuthOptions['credentials'],
            clientOptions,
          }).getClient()
        : await auth.getClient())
    );
  } catch (e) {
    const message = errorMessage(e);
    if (/default credentials/i.test(message)) throw noCredentials();
    if (file) throw badCredentialsFile(file, message);
    throw describeAuthFailure(e, base);
  }
}

/**
 * Impersonation on top of ADC: the ADC identity needs Token Creator (or, federated, Workload
 * Identity User) on the service account.
 */
function impersonating(
  source: AuthClient,
  sa: string,
  settings: AuthSettings,
  clientOptions: AdcClientOptions,
  runtime: AdcRuntime,
): { client: AuthClient; iamUrl: string } {
  const iamBase = iamCredentialsBase(settings);
  const client = new Impersonated({
    sourceClient: source,
    targetPrincipal: sa,
    targetScopes: [CLOUD_PLATFORM_SCOPE],
    lifetime: 3600,
    endpoint: iamBase,
    ...clientOptions,
  });
  maskTokensOf(client, runtime.setSecret);
  return { client, iamUrl: generateAccessTokenUrl(iamBase, sa) };
}

/** The project: the input, the credentials', the service account's, the environment's, the metadata server's. */
async function adcProjectId(
  project: string | undefined,
  json: Record<string, unknown> | undefined,
  credentialSa: string | undefined,
  source: AuthClient,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const projectId =
    project ||
    (typeof json?.project_id === 'string' ? json.project_id : undefined) ||
    projectFromServiceAccount(credentialSa) ||
    projectFromEnv(env);
  if (projectId || !(source instanceof Compute)) return projectId;
  // On Google Cloud the metadata server knows the project.
  return (await gcpMetadata.project('project-id').catch(() => undefined)) || undefined;
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

/** The ADC client (impersonating `service-account` when set), its project and what it is. */
export async function adcCredentials(
  settings: AuthSettings,
  project: string | undefined,
  runtime: AdcRuntime,
): Promise<AdcCredentials> {
  const file = runtime.env.GOOGLE_APPLICATION_CREDENTIALS;
  const json = file ? await readCredentialFile(file, runtime.setSecret) : undefined;
  const sa = settings.serviceAccount || undefined;
  if (sa) validateServiceAccount(sa);
  const clientOptions: AdcClientOptions = {
    ...(runtime.eagerRefreshThresholdMillis
      ? { eagerRefreshThresholdMillis: runtime.eagerRefreshThresholdMillis }
      : {}),
    ...(settings.universe !== 'googleapis.com' ? { universeDomain: settings.universe } : {}),
  };
  const base = credentialFileContext(json, settings.universe);
  const source = await adcSource(json, file, project, clientOptions, base);
  maskTokensOf(source, runtime.setSecret);

  let client = source;
  let failure = (): FailureContext => base;
  if (sa) {
    const impersonated = impersonating(source, sa, settings, clientOptions, runtime);
    client = impersonated.client;
    failure = () => ({ ...base, iamUrl: impersonated.iamUrl, serviceAccount: sa });
  }

  const credentialSa =
    sa ??
    base.serviceAccount ??
    (typeof json?.client_email === 'string' ? json.client_email : undefined);
  const projectId = await adcProjectId(project, json, credentialSa, source, runtime.env);
  if (projectId) client.projectId = projectId;

  const what = json
    ? `${String(json.type ?? 'credentials')} from GOOGLE_APPLICATION_CREDENTIALS`
    : source instanceof Compute
      ? 'the metadata server'
      : 'gcloud';
  const description = `Application Default Credentials (${what})${sa || base.serviceAccount ? ` as ${sa ?? base.serviceAccount}` : ''}`;
  return { client, projectId, description, failure };
}
