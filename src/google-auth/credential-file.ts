// Builds the auth client for a GOOGLE_APPLICATION_CREDENTIALS file with the client's own
// constructor (GoogleAuth's `credentials`/fromJSON paths print deprecation warnings into the
// job log). The file is one the workflow itself produced (google-github-actions/auth, a key).
import {
  AwsClient,
  IdentityPoolClient,
  JWT,
  PluggableAuthClient,
  UserRefreshClient,
  type AuthClient,
  type AwsClientOptions,
  type IdentityPoolClientOptions,
  type PluggableAuthClientOptions,
} from 'google-auth-library';
import { CLOUD_PLATFORM_SCOPE } from './names.ts';

export interface ClientTuning {
  eagerRefreshThresholdMillis?: number;
  universeDomain?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** The client for a parsed credentials file, or undefined for a type built only by GoogleAuth. */
export function clientForCredentialFile(
  json: Record<string, unknown>,
  tuning: ClientTuning,
): AuthClient | undefined {
  const common = {
    ...(tuning.eagerRefreshThresholdMillis
      ? { eagerRefreshThresholdMillis: tuning.eagerRefreshThresholdMillis }
      : {}),
    ...(tuning.universeDomain && !json.universe_domain
      ? { universe_domain: tuning.universeDomain }
      : {}),
  };
  switch (json.type) {
    case 'external_account': {
      const options = { scopes: [CLOUD_PLATFORM_SCOPE], ...json, ...common };
      const source = json.credential_source as
        { environment_id?: unknown; executable?: unknown } | undefined;
      if (source?.environment_id) return new AwsClient(options as unknown as AwsClientOptions);
      if (source?.executable)
        return new PluggableAuthClient(options as unknown as PluggableAuthClientOptions);
      return new IdentityPoolClient(options as unknown as IdentityPoolClientOptions);
    }
    case 'service_account':
      return new JWT({
        email: str(json.client_email),
        key: str(json.private_key),
        keyId: str(json.private_key_id),
        scopes: [CLOUD_PLATFORM_SCOPE],
        ...common,
        ...(str(json.universe_domain) ? { universe_domain: str(json.universe_domain) } : {}),
      });
    case 'authorized_user':
      return new UserRefreshClient({
        clientId: str(json.client_id),
        clientSecret: str(json.client_secret),
        refreshToken: str(json.refresh_token),
        ...common,
      });
    default:
      return undefined;
  }
}
