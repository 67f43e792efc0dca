// The three auth stand-ins wired together: GitHub OIDC -> Google STS -> IAM Credentials.
// Start them in-process from tests, or from the command line with server.ts.
import { startIamCredentialsServer, type IamCredentialsServer } from './iamcredentials.ts';
import { startMetadataServer, type MetadataServer } from './metadata.ts';
import { startOidcServer, type OidcOptions, type OidcServer } from './oidc.ts';
import { startStsServer, type IssuedToken, type StsServer } from './sts.ts';

export type { IamCredentialsServer } from './iamcredentials.ts';
export type { OidcServer } from './oidc.ts';
export type { MetadataServer } from './metadata.ts';
export type { IssuedToken, StsServer } from './sts.ts';
export type { RecordedRequest } from './http.ts';

export const DEFAULT_PROVIDER =
  'projects/123456789012/locations/global/workloadIdentityPools/github/providers/octo-repo';
export const DEFAULT_SERVICE_ACCOUNT = 'vertex-launcher@octo-project.iam.gserviceaccount.com';

export interface AuthEmulatorOptions {
  provider?: string;
  oidc?: OidcOptions;
  /** STS tokens' expires_in (default 3600). */
  stsExpiresInSeconds?: number;
  /** Fixed IAM token lifetime (default: what the caller asks for). */
  iamLifetimeSeconds?: number;
  /** Value of each impersonated access token (default: random); see IamCredentialsOptions. */
  iamIssueToken?: () => string;
  allowedAudiences?: string[];
}

export interface AuthEmulators {
  provider: string;
  oidc: OidcServer;
  sts: StsServer;
  iam: IamCredentialsServer;
  /** Compute metadata server (GCE_METADATA_HOST), a non-federated ADC identity. */
  metadata: MetadataServer;
  /** ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN as GitHub sets them for `id-token: write`. */
  githubEnv: { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string };
  /** `sts-endpoint` and `iamcredentials-endpoint` values pointing here. */
  stsEndpoint: string;
  iamCredentialsEndpoint: string;
  /** Every secret these servers handed out: the OIDC request token, JWTs, STS and IAM tokens. */
  allSecrets(): string[];
  /** A Google access token (STS or IAM) issued here and not yet expired. */
  validAccessToken(token: string): IssuedToken | undefined;
  close(): Promise<void>;
}

export async function startAuthEmulators(
  options: AuthEmulatorOptions = {},
): Promise<AuthEmulators> {
  const provider = options.provider ?? DEFAULT_PROVIDER;
  const oidc = await startOidcServer(options.oidc);
  const sts = await startStsServer({
    provider,
    issuerKey: oidc.key,
    allowedAudiences: options.allowedAudiences,
    expiresInSeconds: options.stsExpiresInSeconds,
  });
  const metadata = await startMetadataServer();
  const iam = await startIamCredentialsServer({
    validCallerToken: (t) => (sts.validToken(t) ?? metadata.validToken(t)) !== undefined,
    lifetimeSeconds: options.iamLifetimeSeconds,
    issueToken: options.iamIssueToken,
  });
  return {
    provider,
    oidc,
    sts,
    iam,
    metadata,
    githubEnv: {
      ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken,
    },
    stsEndpoint: `${sts.url}/v1/token`,
    iamCredentialsEndpoint: iam.url,
    allSecrets: () => [
      oidc.requestToken,
      ...oidc.issued,
      ...sts.issued.map((t) => t.token),
      ...iam.issued.map((t) => t.token),
      ...metadata.issued.map((t) => t.token),
    ],
    validAccessToken: (t) => sts.validToken(t) ?? iam.validToken(t) ?? metadata.validToken(t),
    close: async () => {
      await Promise.all([oidc.close(), sts.close(), iam.close(), metadata.close()]);
    },
  };
}
