// Application Default Credentials: a GOOGLE_APPLICATION_CREDENTIALS external_account file as
// google-github-actions/auth writes it (url-sourced GitHub OIDC token), pointing at the local servers.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import {
  DEFAULT_SERVICE_ACCOUNT,
  startAuthEmulators,
  type AuthEmulators,
} from '../../emulators/google-auth/index.ts';
import type { AuthSettings } from '../../src/context.ts';
import { authFailures, resolveCredentials } from '../../src/google-auth/index.ts';
import {
  failure,
  leaks,
  recordingRuntime,
  secretsFromNow,
  tokenOf,
  type RecordingRuntime,
} from './helpers.ts';

let emu: AuthEmulators;
let dir: string;
const saved = { ...process.env };
const runtimes: RecordingRuntime[] = [];
const messages: string[] = [];

beforeAll(async () => {
  emu = await startAuthEmulators();
  dir = await mkdtemp(join(tmpdir(), 'adc-test-'));
  // The library's own discovery (gcloud's well-known file, the metadata server) reads process.env:
  // keep it away from this machine's HOME and from 169.254.169.254.
  process.env.HOME = dir;
  process.env.METADATA_SERVER_DETECTION = 'none';
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  delete process.env.CLOUDSDK_CONFIG;
});
afterEach(() => {
  emu.iam.deny = undefined;
});
afterAll(async () => {
  for (const r of runtimes) {
    const scan = leaks(emu, r, messages);
    expect(scan.printed).toEqual([]);
  }
  process.env = saved;
  await rm(dir, { recursive: true, force: true });
  await emu.close();
});

const settings: AuthSettings = { universe: 'googleapis.com' };

/** The external_account file google-github-actions/auth writes for WIF. */
async function credentialsFile(
  name: string,
  opts: { impersonate?: boolean; requestToken?: string } = {},
): Promise<string> {
  const audience = `https://iam.googleapis.com/${emu.provider}`;
  const json = {
    type: 'external_account',
    audience: `//iam.googleapis.com/${emu.provider}`,
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: emu.stsEndpoint,
    ...(opts.impersonate === false
      ? {}
      : {
          service_account_impersonation_url: `${emu.iam.url}/v1/projects/-/serviceAccounts/${DEFAULT_SERVICE_ACCOUNT}:generateAccessToken`,
        }),
    credential_source: {
      url: `${emu.oidc.requestUrl}&audience=${encodeURIComponent(audience)}`,
      headers: { Authorization: `Bearer ${opts.requestToken ?? emu.oidc.requestToken}` },
      format: { type: 'json', subject_token_field_name: 'value' },
    },
  };
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(json), { mode: 0o600 });
  return path;
}

function runtime(env: NodeJS.ProcessEnv): RecordingRuntime {
  const r = recordingRuntime(env);
  runtimes.push(r);
  return r;
}

async function authError(env: NodeJS.ProcessEnv, s: AuthSettings = settings): Promise<string> {
  const e = await failure(() => resolveCredentials(s, undefined, runtime(env)));
  expect(e.name).toBe('UserError');
  expect(e.phase).toBe('auth');
  messages.push(e.message);
  return e.message;
}

describe('application default credentials', () => {
  test('external_account file from google-github-actions/auth: impersonated token, masked, project from the service account', async () => {
    const secretsOfThisRun = secretsFromNow(emu);
    const file = await credentialsFile('wif-sa.json');
    const r = runtime({
      GOOGLE_APPLICATION_CREDENTIALS: file,
      GOOGLE_CLOUD_PROJECT: 'env-project',
    });
    const creds = await resolveCredentials(settings, undefined, r);
    const token = await creds.getAccessToken();
    expect(emu.iam.validToken(token)?.principal).toBe(DEFAULT_SERVICE_ACCOUNT);
    expect(tokenOf(await creds.authClient.getRequestHeaders())).toBe(token);
    expect(creds.projectId).toBe('octo-project');
    expect(creds.description).toBe(
      `Application Default Credentials (external_account from GOOGLE_APPLICATION_CREDENTIALS) as ${DEFAULT_SERVICE_ACCOUNT}`,
    );
    // The url-sourced request went to the OIDC server with the file's header.
    expect(emu.oidc.requests.at(-1)!.headers.authorization).toBe(`Bearer ${emu.oidc.requestToken}`);
    expect(leaks(emu, r, [], secretsOfThisRun()).unmasked).toEqual([]);
  });

  test('the project input wins; without a service account the environment project is used', async () => {
    const file = await credentialsFile('wif.json', { impersonate: false });
    const given = await resolveCredentials(
      settings,
      'given',
      runtime({ GOOGLE_APPLICATION_CREDENTIALS: file, GOOGLE_CLOUD_PROJECT: 'env-project' }),
    );
    expect(given.projectId).toBe('given');
    const fromEnv = await resolveCredentials(
      settings,
      undefined,
      runtime({ GOOGLE_APPLICATION_CREDENTIALS: file, CLOUDSDK_CORE_PROJECT: 'sdk-project' }),
    );
    expect(fromEnv.projectId).toBe('sdk-project');
    expect(emu.sts.validToken(await fromEnv.getAccessToken())).toBeDefined();
  });

  test('service-account input on top of a federated ADC file impersonates; denial names roles/iam.workloadIdentityUser', async () => {
    const file = await credentialsFile('wif-direct.json', { impersonate: false });
    const s = {
      ...settings,
      serviceAccount: DEFAULT_SERVICE_ACCOUNT,
      iamCredentialsEndpoint: emu.iam.url,
    };
    const creds = await resolveCredentials(
      s,
      'p',
      runtime({ GOOGLE_APPLICATION_CREDENTIALS: file }),
    );
    expect(emu.iam.validToken(await creds.getAccessToken())?.principal).toBe(
      DEFAULT_SERVICE_ACCOUNT,
    );

    emu.iam.deny = true;
    const msg = await authError({ GOOGLE_APPLICATION_CREDENTIALS: file }, s);
    expect(msg).toContain(
      `${authFailures.IMPERSONATION_DENIED} ${DEFAULT_SERVICE_ACCOUNT}: PERMISSION_DENIED`,
    );
    expect(msg).toContain(
      `roles/iam.workloadIdentityUser on service account ${DEFAULT_SERVICE_ACCOUNT}`,
    );
  });

  test('metadata server ADC: token and project from it; impersonation denial names roles/iam.serviceAccountTokenCreator', async () => {
    process.env.GCE_METADATA_HOST = emu.metadata.host;
    process.env.METADATA_SERVER_DETECTION = 'assume-present';
    try {
      const plain = await resolveCredentials(settings, undefined, runtime({}));
      expect(emu.metadata.validToken(await plain.getAccessToken())).toBeDefined();
      expect(plain.projectId).toBe('runner-project');
      expect(plain.description).toBe('Application Default Credentials (the metadata server)');

      const s = {
        ...settings,
        serviceAccount: DEFAULT_SERVICE_ACCOUNT,
        iamCredentialsEndpoint: emu.iam.url,
      };
      const impersonated = await resolveCredentials(s, undefined, runtime({}));
      expect(emu.iam.validToken(await impersonated.getAccessToken())?.principal).toBe(
        DEFAULT_SERVICE_ACCOUNT,
      );
      expect(impersonated.projectId).toBe('octo-project');

      emu.iam.deny = true;
      const msg = await authError({}, s);
      expect(msg).toContain(
        `${authFailures.IMPERSONATION_DENIED} ${DEFAULT_SERVICE_ACCOUNT}: PERMISSION_DENIED`,
      );
      expect(msg).toContain(
        `roles/iam.serviceAccountTokenCreator on service account ${DEFAULT_SERVICE_ACCOUNT} to the identity of the Application Default Credentials`,
      );
    } finally {
      delete process.env.GCE_METADATA_HOST;
      process.env.METADATA_SERVER_DETECTION = 'none';
    }
  });

  test("impersonation written in the file is a federated principal's: denial names roles/iam.workloadIdentityUser", async () => {
    emu.iam.deny = true;
    const msg = await authError({
      GOOGLE_APPLICATION_CREDENTIALS: await credentialsFile('wif-sa2.json'),
    });
    expect(msg).toContain(
      `roles/iam.workloadIdentityUser on service account ${DEFAULT_SERVICE_ACCOUNT}`,
    );
  });

  test('url-sourced OIDC token refused (stale request token in the file)', async () => {
    const msg = await authError({
      GOOGLE_APPLICATION_CREDENTIALS: await credentialsFile('stale.json', {
        requestToken: 'expired-request-token',
      }),
    });
    expect(msg).toContain(
      `${authFailures.OIDC_FAILED} from ACTIONS_ID_TOKEN_REQUEST_URL: HTTP 401: Bad credentials`,
    );
  });

  test('STS rejection through the file names the provider and error_description', async () => {
    emu.sts.attributeCondition = () => false;
    try {
      const msg = await authError({
        GOOGLE_APPLICATION_CREDENTIALS: await credentialsFile('cond.json'),
      });
      expect(msg).toContain(
        `${authFailures.STS_REJECTED} for provider ${emu.provider}: unauthorized_client: The given credential is rejected by the attribute condition.`,
      );
    } finally {
      emu.sts.attributeCondition = undefined;
    }
  });

  test('GOOGLE_APPLICATION_CREDENTIALS naming a missing or non-JSON file', async () => {
    expect(await authError({ GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'nope.json') })).toContain(
      `${authFailures.BAD_CREDENTIALS_FILE} "${join(dir, 'nope.json')}": cannot read it (ENOENT)`,
    );
    const bad = join(dir, 'bad.json');
    await writeFile(bad, 'not json', { mode: 0o600 });
    expect(await authError({ GOOGLE_APPLICATION_CREDENTIALS: bad })).toContain('it is not JSON');
  });

  test('no credentials at all', async () => {
    const msg = await authError({});
    expect(msg).toContain(authFailures.NO_CREDENTIALS);
    expect(msg).toContain('workload-identity-provider');
    expect(msg).toContain('google-github-actions/auth');
  });
});
