// Each way authentication fails gives a UserError('auth') that names the step and the fix,
// and no message or log line contains a token.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import {
  DEFAULT_SERVICE_ACCOUNT,
  startAuthEmulators,
  type AuthEmulators,
} from '../../emulators/google-auth/index.ts';
import {
  authFailures,
  resolveCredentials,
  validateProviderName,
} from '../../src/google-auth/index.ts';
import { failure, leaks, recordingRuntime, wifSettings, type RecordingRuntime } from './helpers.ts';

let emu: AuthEmulators;
const messages: string[] = [];
const runtimes: RecordingRuntime[] = [];
const runtime = (env: NodeJS.ProcessEnv): RecordingRuntime => {
  const r = recordingRuntime(env);
  runtimes.push(r);
  return r;
};

beforeAll(async () => {
  emu = await startAuthEmulators();
});
afterEach(() => {
  emu.oidc.failWith = undefined;
  emu.sts.failWith = undefined;
  emu.sts.attributeCondition = undefined;
  emu.iam.deny = undefined;
  emu.iam.missing.clear();
});
afterAll(async () => {
  // Nothing any failure printed (messages, log lines) holds an issued token.
  for (const r of runtimes) expect(leaks(emu, r, messages).printed).toEqual([]);
  await emu.close();
});

async function authError(env: NodeJS.ProcessEnv, overrides = {}): Promise<string> {
  const e = await failure(() => resolveCredentials(wifSettings(emu, overrides), 'p', runtime(env)));
  expect(e.name).toBe('UserError');
  expect(e.phase).toBe('auth');
  messages.push(e.message);
  return e.message;
}

describe('auth failures', () => {
  test('no ACTIONS_ID_TOKEN_REQUEST_* variables: permissions id-token write, forks', async () => {
    const msg = await authError({ ACTIONS_ID_TOKEN_REQUEST_URL: emu.oidc.requestUrl });
    expect(msg).toContain(authFailures.NO_OIDC_TOKEN);
    expect(msg).toContain('id-token: write');
    expect(msg).toMatch(/fork/);
  });

  test('malformed provider names show the expected form, with a hint', async () => {
    const msg = await authError(
      { ...emu.githubEnv },
      {
        workloadIdentityProvider:
          'projects/my-project/locations/global/workloadIdentityPools/github/providers/octo-repo',
      },
    );
    expect(msg).toContain(
      'projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER',
    );
    expect(msg).toContain('project NUMBER, not the project ID "my-project"');
    expect(() => validateProviderName(`//iam.googleapis.com/${emu.provider}`)).toThrow(
      'drop the "//iam.googleapis.com/" prefix',
    );
    expect(() =>
      validateProviderName('projects/123/locations/global/workloadIdentityPools/github'),
    ).toThrow('name the provider');
    expect(() => validateProviderName(emu.provider)).not.toThrow();
    expect(
      emu.oidc.requests.filter((r) => r.url.includes('audience=projects%2Fmy-project')),
    ).toEqual([]);
  });

  test('OIDC endpoint rejecting the request token', async () => {
    const msg = await authError({
      ...emu.githubEnv,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'not-the-token',
    });
    expect(msg).toContain(
      `${authFailures.OIDC_FAILED} from ACTIONS_ID_TOKEN_REQUEST_URL: HTTP 401: Bad credentials`,
    );
  });

  test('OIDC endpoint outage is retried, then reported', async () => {
    emu.oidc.failWith = { status: 503, body: { message: 'Service Unavailable' } };
    const before = emu.oidc.requests.length;
    const msg = await authError({ ...emu.githubEnv });
    expect(msg).toContain(
      `${authFailures.OIDC_FAILED} from ACTIONS_ID_TOKEN_REQUEST_URL: HTTP 503: Service Unavailable`,
    );
    expect(emu.oidc.requests.length - before).toBe(3);
  });

  test('STS rejects the audience: error_description and the audience to allow', async () => {
    const msg = await authError({ ...emu.githubEnv }, { audience: 'not-allowed-audience' });
    expect(msg).toContain(
      `${authFailures.STS_REJECTED} for provider ${emu.provider}: invalid_grant: The audience in ID Token [not-allowed-audience] does not match the expected audience.`,
    );
    expect(msg).toContain('"not-allowed-audience"');
  });

  test('STS rejects by attribute condition: names the workflow claims', async () => {
    emu.sts.attributeCondition = (claims) => claims.repository === 'someone-else/repo';
    const msg = await authError({ ...emu.githubEnv });
    expect(msg).toContain(
      'unauthorized_client: The given credential is rejected by the attribute condition.',
    );
    expect(msg).toContain('repository=octo-org/octo-repo');
    expect(msg).toContain("assertion.repository == 'OWNER/REPO'");
  });

  test('STS: unknown provider (invalid_target)', async () => {
    const msg = await authError(
      { ...emu.githubEnv },
      {
        workloadIdentityProvider:
          'projects/123456789012/locations/global/workloadIdentityPools/github/providers/other-repo',
      },
    );
    expect(msg).toContain('invalid_target');
    expect(msg).toContain('enabled');
  });

  test('impersonation denied: names roles/iam.workloadIdentityUser on the service account and the principal set', async () => {
    emu.iam.deny = true;
    const msg = await authError({ ...emu.githubEnv }, { serviceAccount: DEFAULT_SERVICE_ACCOUNT });
    expect(msg).toContain(
      `${authFailures.IMPERSONATION_DENIED} ${DEFAULT_SERVICE_ACCOUNT}: PERMISSION_DENIED: Permission 'iam.serviceAccounts.getAccessToken' denied`,
    );
    expect(msg).toContain(
      `roles/iam.workloadIdentityUser on service account ${DEFAULT_SERVICE_ACCOUNT}`,
    );
    expect(msg).toContain(
      'principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/github/attribute.repository/octo-org/octo-repo',
    );
  });

  test('service account that does not exist', async () => {
    emu.iam.missing.add('gone@octo-project.iam.gserviceaccount.com');
    const msg = await authError(
      { ...emu.githubEnv },
      { serviceAccount: 'gone@octo-project.iam.gserviceaccount.com' },
    );
    expect(msg).toContain(
      `${authFailures.SERVICE_ACCOUNT_NOT_FOUND}: gone@octo-project.iam.gserviceaccount.com`,
    );
  });

  test('unreachable STS endpoint', async () => {
    const msg = await authError(
      { ...emu.githubEnv },
      { stsEndpoint: 'http://127.0.0.1:9/v1/token' },
    );
    expect(msg).toContain(`${authFailures.UNREACHABLE}: http://127.0.0.1:9 (ECONNREFUSED)`);
  });

  test('plain-http endpoint overrides are refused unless loopback', async () => {
    const msg = await authError({ ...emu.githubEnv }, { stsEndpoint: 'http://sts.example.com' });
    expect(msg).toContain('Invalid endpoint override sts-endpoint "http://sts.example.com"');
  });

  test('malformed service account email', async () => {
    const msg = await authError(
      { ...emu.githubEnv },
      { serviceAccount: 'projects/-/serviceAccounts/x' },
    );
    expect(msg).toContain('Invalid service-account');
  });
});
