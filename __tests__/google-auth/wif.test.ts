// Workload identity federation end to end: GitHub OIDC -> STS -> (IAM Credentials) against the
// local servers, through google-auth-library's IdentityPoolClient.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { BaseExternalAccountClient } from 'google-auth-library';
import {
  DEFAULT_SERVICE_ACCOUNT,
  startAuthEmulators,
  type AuthEmulators,
} from '../../emulators/google-auth/index.ts';
import { resolveCredentials } from '../../src/google-auth/index.ts';
import { leaks, recordingRuntime, secretsFromNow, tokenOf, wifSettings } from './helpers.ts';

let emu: AuthEmulators;
beforeAll(async () => {
  emu = await startAuthEmulators();
});
afterAll(async () => {
  await emu.close();
});

describe('workload identity federation', () => {
  test('impersonating a service account: the client carries the IAM token and masks every token', async () => {
    const secretsOfThisRun = secretsFromNow(emu);
    const before = {
      oidc: emu.oidc.requests.length,
      sts: emu.sts.requests.length,
      iam: emu.iam.requests.length,
    };
    const runtime = recordingRuntime({ ...emu.githubEnv });
    const creds = await resolveCredentials(
      wifSettings(emu, { serviceAccount: DEFAULT_SERVICE_ACCOUNT }),
      'my-project',
      runtime,
    );

    expect(creds.projectId).toBe('my-project');
    expect(creds.description).toContain(`as ${DEFAULT_SERVICE_ACCOUNT}`);
    // The first token was fetched inside resolveCredentials (failures belong to the auth phase).
    expect(emu.iam.requests.length - before.iam).toBe(1);

    const token = await creds.getAccessToken();
    const issued = emu.iam.validToken(token);
    expect(issued?.principal).toBe(DEFAULT_SERVICE_ACCOUNT);
    const headers = await creds.authClient.getRequestHeaders();
    expect(tokenOf(headers)).toBe(token);
    // Cached: no further exchanges for a one-hour token.
    expect(emu.oidc.requests.length - before.oidc).toBe(1);
    expect(emu.sts.requests.length - before.sts).toBe(1);
    expect(emu.iam.requests.length - before.iam).toBe(1);

    // The OIDC request carried the job's request token and the provider's default audience.
    const oidcReq = emu.oidc.requests.at(-1)!;
    expect(oidcReq.headers.authorization).toBe(`bearer ${emu.oidc.requestToken}`);
    expect(new URL(oidcReq.url, 'http://x').searchParams.get('audience')).toBe(
      `https://iam.googleapis.com/${emu.provider}`,
    );
    expect(new URL(oidcReq.url, 'http://x').searchParams.get('api-version')).toBe('2.0');
    // STS got the provider audience and the JWT; IAM was called with the STS token.
    const stsForm = new URLSearchParams(emu.sts.requests.at(-1)!.body);
    expect(stsForm.get('audience')).toBe(`//iam.googleapis.com/${emu.provider}`);
    expect(stsForm.get('subject_token')).toBe(emu.oidc.issued.at(-1));
    expect(emu.iam.requests.at(-1)!.headers.authorization).toBe(
      `Bearer ${emu.sts.issued.at(-1)!.token}`,
    );

    const scan = leaks(emu, runtime, [creds.description], secretsOfThisRun());
    expect(scan.unmasked).toEqual([]);
    expect(scan.printed).toEqual([]);
    expect(runtime.lines.join('\n')).toContain(
      'Authenticated to Google Cloud with workload identity federation',
    );
  });

  test('without a service account: the federated STS token is used directly', async () => {
    const iamBefore = emu.iam.requests.length;
    const runtime = recordingRuntime({ ...emu.githubEnv, GOOGLE_CLOUD_PROJECT: 'env-project' });
    const creds = await resolveCredentials(wifSettings(emu), undefined, runtime);
    const token = await creds.getAccessToken();
    expect(emu.sts.validToken(token)?.principal).toBe(
      'repo:octo-org/octo-repo:ref:refs/heads/main',
    );
    expect(emu.iam.requests.length).toBe(iamBefore);
    expect(creds.projectId).toBe('env-project');
    expect(creds.description).toContain('direct resource access');
    expect(runtime.masked.has(token)).toBe(true);
    expect(runtime.masked.has(emu.oidc.requestToken)).toBe(true);
  });

  test('project comes from the service account email when no project is given', async () => {
    const creds = await resolveCredentials(
      wifSettings(emu, { serviceAccount: DEFAULT_SERVICE_ACCOUNT }),
      undefined,
      recordingRuntime({ ...emu.githubEnv, GOOGLE_CLOUD_PROJECT: 'env-project' }),
    );
    expect(creds.projectId).toBe('octo-project');
    // No Cloud Resource Manager lookup: the library returns the project it was given.
    await expect((creds.authClient as BaseExternalAccountClient).getProjectId()).resolves.toBe(
      'octo-project',
    );
  });

  test('an explicit audience is requested from GitHub and accepted when the provider allows it', async () => {
    emu.sts.allowedAudiences.push('my-custom-audience');
    const creds = await resolveCredentials(
      wifSettings(emu, { audience: 'my-custom-audience' }),
      'p',
      recordingRuntime({ ...emu.githubEnv }),
    );
    expect(new URL(emu.oidc.requests.at(-1)!.url, 'http://x').searchParams.get('audience')).toBe(
      'my-custom-audience',
    );
    expect(emu.sts.validToken(await creds.getAccessToken())).toBeDefined();
  });

  test('endpoint overrides may be given without the /v1 path', async () => {
    const creds = await resolveCredentials(
      wifSettings(emu, {
        stsEndpoint: emu.sts.url,
        iamCredentialsEndpoint: `${emu.iam.url}/v1/`,
        serviceAccount: DEFAULT_SERVICE_ACCOUNT,
      }),
      'p',
      recordingRuntime({ ...emu.githubEnv }),
    );
    expect(emu.iam.validToken(await creds.getAccessToken())).toBeDefined();
  });
});
