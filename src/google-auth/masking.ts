// Every token an auth client handles is masked before anything could print it: bearer
// headers going out (the STS token on its way to IAM Credentials), token fields coming back
// (IAM Credentials, url-sourced OIDC), and every access token the client caches ('tokens').
import type { AuthClient } from 'google-auth-library';

const TOKEN_FIELDS = [
  'access_token',
  'accessToken',
  'id_token',
  'idToken',
  'refresh_token',
  'token',
  'value',
];

export function maskTokensOf(client: AuthClient, setSecret: (value: string) => void): void {
  client.on('tokens', (tokens) => {
    for (const v of [tokens.access_token, tokens.id_token, tokens.refresh_token])
      if (v) setSecret(v);
  });
  client.transporter.interceptors.request.add({
    resolved: async (opts) => {
      const auth = opts.headers?.get('authorization');
      const m = auth ? /^bearer\s+(\S+)$/i.exec(auth) : null;
      if (m?.[1]) setSecret(m[1]);
      return opts;
    },
  });
  client.transporter.interceptors.response.add({
    resolved: async (res) => {
      const data = res.data as Record<string, unknown> | null;
      if (data && typeof data === 'object') {
        for (const k of TOKEN_FIELDS) {
          const v = data[k];
          if (typeof v === 'string' && v) setSecret(v);
        }
      }
      return res;
    },
  });
}

/** Masks the secret parts of a credentials JSON (service account key, authorized user, url-sourced headers). */
export function maskCredentialFile(
  json: Record<string, unknown>,
  setSecret: (value: string) => void,
): void {
  for (const k of ['private_key', 'client_secret', 'refresh_token']) {
    const v = json[k];
    if (typeof v === 'string' && v) setSecret(v);
  }
  const headers = (json.credential_source as { headers?: Record<string, unknown> } | undefined)
    ?.headers;
  for (const v of Object.values(headers ?? {})) {
    if (typeof v !== 'string') continue;
    setSecret(v);
    const bearer = /^bearer\s+(\S+)$/i.exec(v);
    if (bearer?.[1]) setSecret(bearer[1]);
  }
  const source = json.source_credentials;
  if (source && typeof source === 'object')
    maskCredentialFile(source as Record<string, unknown>, setSecret);
}
