// Pure helpers: provider names, audiences, endpoint URLs, project ids. No I/O.
import type { AuthSettings } from '../context.ts';
import { UserError } from '../core/errors.ts';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
export const PROVIDER_FORM =
  'projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER';
const PROVIDER_EXAMPLE =
  'projects/123456789012/locations/global/workloadIdentityPools/github/providers/my-repo';
const PROVIDER_RE =
  /^projects\/(\d+)\/locations\/global\/workloadIdentityPools\/([a-z0-9-]{4,32})\/providers\/([a-z0-9-]{4,32})$/;

export const INVALID_PROVIDER = 'Invalid workload-identity-provider';
export const INVALID_SERVICE_ACCOUNT = 'Invalid service-account';
export const INVALID_ENDPOINT = 'Invalid endpoint override';

/** Throws a UserError('auth') naming the expected form unless `name` is a full provider resource name. */
export function validateProviderName(name: string): void {
  if (PROVIDER_RE.test(name)) return;
  const hints: string[] = [];
  const trimmed = name.trim();
  if (trimmed !== name) hints.push('remove the surrounding whitespace');
  if (/^(https:)?\/\/iam\.googleapis\.com\//.test(trimmed))
    hints.push('drop the "//iam.googleapis.com/" prefix');
  const project = /^projects\/([^/]+)\//.exec(
    trimmed.replace(/^(https:)?\/\/iam\.googleapis\.com\//, ''),
  );
  if (project && !/^\d+$/.test(project[1] as string)) {
    hints.push(
      `use the project NUMBER, not the project ID "${project[1]}" (gcloud projects describe ${project[1]} --format='value(projectNumber)')`,
    );
  }
  if (/\/locations\/(?!global\/)/.test(trimmed))
    hints.push('the location of a workload identity pool is always "global"');
  if (!/\/providers\//.test(trimmed)) hints.push('name the provider, not just the pool');
  throw new UserError(
    'auth',
    `${INVALID_PROVIDER} "${name}": expected ${PROVIDER_FORM}, e.g. ${PROVIDER_EXAMPLE}` +
      ` (gcloud iam workload-identity-pools providers describe PROVIDER --workload-identity-pool=POOL --location=global --format='value(name)')` +
      (hints.length ? `. Hint: ${hints.join('; ')}.` : '.'),
    [{ path: 'workload-identity-provider', message: `expected ${PROVIDER_FORM}` }],
  );
}

export function validateServiceAccount(email: string): void {
  if (/^[^@\s/]+@[a-z0-9.-]+\.[a-z]+$/i.test(email)) return;
  throw new UserError(
    'auth',
    `${INVALID_SERVICE_ACCOUNT} "${email}": expected a service account email such as NAME@PROJECT_ID.iam.gserviceaccount.com.`,
    [{ path: 'service-account', message: 'expected a service account email' }],
  );
}

/** The parts of a valid provider name. */
export function parseProviderName(
  name: string,
): { projectNumber: string; pool: string; provider: string } | undefined {
  const m = PROVIDER_RE.exec(name);
  return m
    ? { projectNumber: m[1] as string, pool: m[2] as string, provider: m[3] as string }
    : undefined;
}

/** The STS `audience` for a provider. */
export const stsAudience = (provider: string): string => `//iam.googleapis.com/${provider}`;

/** The `aud` requested for the GitHub OIDC token: `audience` if given, else the provider's default allowed audience. */
export const oidcAudience = (provider: string, audience?: string): string =>
  audience || `https://iam.googleapis.com/${provider}`;

/** The provider name inside an STS audience, if it is one. */
export const providerFromAudience = (audience: string): string | undefined =>
  /^\/\/iam\.googleapis\.com\/(projects\/.+)$/.exec(audience)?.[1];

/**
 * An endpoint override as a base URL. `HOST[:PORT]` means https; plain http is only accepted for
 * loopback addresses (local servers), so a token never crosses a network in clear text.
 */
export function endpointBase(input: string, inputName: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : `https://${input}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UserError(
      'auth',
      `${INVALID_ENDPOINT} ${inputName} "${input}": expected https://HOST[:PORT] (or http://127.0.0.1:PORT for a local server).`,
      [{ path: inputName, message: 'not a URL' }],
    );
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new UserError(
      'auth',
      `${INVALID_ENDPOINT} ${inputName} "${input}": only https, or http to a loopback address (127.0.0.1, localhost), may carry credentials.`,
      [{ path: inputName, message: 'use https' }],
    );
  }
  return url;
}

/** The STS token URL: `stsEndpoint` (with `/v1/token` added when it has no path), else `https://sts.{universe}/v1/token`. */
export function stsTokenUrl(settings: AuthSettings): string {
  if (!settings.stsEndpoint) return `https://sts.${settings.universe}/v1/token`;
  const url = endpointBase(settings.stsEndpoint, 'sts-endpoint');
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/token';
  return url.toString();
}

/** The IAM Credentials base URL (scheme, host, port; no `/v1`). */
export function iamCredentialsBase(settings: AuthSettings): string {
  if (!settings.iamCredentialsEndpoint) return `https://iamcredentials.${settings.universe}`;
  const url = endpointBase(settings.iamCredentialsEndpoint, 'iamcredentials-endpoint');
  return `${url.origin}${url.pathname.replace(/\/(v1\/?)?$/, '')}`;
}

export const generateAccessTokenUrl = (base: string, serviceAccount: string): string =>
  `${base}/v1/projects/-/serviceAccounts/${encodeURIComponent(serviceAccount)}:generateAccessToken`;

/** The service account named in a generateAccessToken URL. */
export const serviceAccountFromUrl = (url: string): string | undefined => {
  const m = /serviceAccounts\/([^/:]+):generateAccessToken/.exec(url);
  return m ? decodeURIComponent(m[1] as string) : undefined;
};

/** NAME@PROJECT.iam.gserviceaccount.com -> PROJECT (other service account domains carry no project id). */
export const projectFromServiceAccount = (email: string | undefined): string | undefined =>
  email
    ? /^[^@]+@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/.exec(email)?.[1]
    : undefined;

/** The project from the environment, as gcloud and the client libraries read it. */
export const projectFromEnv = (env: NodeJS.ProcessEnv): string | undefined =>
  env.GOOGLE_CLOUD_PROJECT ||
  env.GCLOUD_PROJECT ||
  env.CLOUDSDK_CORE_PROJECT ||
  env.CLOUDSDK_PROJECT ||
  undefined;
