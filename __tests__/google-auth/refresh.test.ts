// Tokens that expire during a long wait are refreshed by the client itself, never fatal; and
// the cost of that: how many token requests hours of waiting make with one-hour tokens.
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import {
  DEFAULT_SERVICE_ACCOUNT,
  startAuthEmulators,
  type AuthEmulators,
} from '../../emulators/google-auth/index.ts';
import { resolveCredentials } from '../../src/google-auth/index.ts';
import { leaks, recordingRuntime, tokenOf, wifSettings } from './helpers.ts';

let emu: AuthEmulators | undefined;
afterEach(async () => {
  jest.useRealTimers();
  await emu?.close();
  emu = undefined;
});

const counts = (e: AuthEmulators) => ({
  oidc: e.oidc.requests.length,
  sts: e.sts.requests.length,
  iam: e.iam.requests.length,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('token refresh', () => {
  test('2-second tokens during a 3.5-second wait: refreshed before expiry, every header valid when used', async () => {
    emu = await startAuthEmulators({ stsExpiresInSeconds: 2, iamLifetimeSeconds: 2 });
    const runtime = recordingRuntime({ ...emu.githubEnv }, { eagerRefreshThresholdMillis: 1000 });
    const creds = await resolveCredentials(
      wifSettings(emu, { serviceAccount: DEFAULT_SERVICE_ACCOUNT }),
      'p',
      runtime,
    );
    const seen = new Set<string>();
    const start = Date.now();
    while (Date.now() - start < 3500) {
      const token = tokenOf(await creds.authClient.getRequestHeaders());
      expect(token).toBeDefined();
      // Valid at the server at the moment of use (the IAM stand-in knows each token's expiry).
      expect(emu.iam.validToken(token!)).toBeDefined();
      seen.add(token!);
      await sleep(200);
    }
    // Lifetime 2 s minus a 1 s refresh margin: a new token every ~1 s -> 1 initial + ~3 refreshes.
    const c = counts(emu);
    expect(c.iam).toBeGreaterThanOrEqual(3);
    expect(c.iam).toBeLessThanOrEqual(6);
    expect(c.sts).toBe(c.iam);
    expect(c.oidc).toBe(c.iam);
    expect(seen.size).toBe(c.iam);
    // getAccessToken() after the wait is fresh too, and every refreshed token was masked.
    expect(emu.iam.validToken(await creds.getAccessToken())).toBeDefined();
    expect(leaks(emu, runtime, []).unmasked).toEqual([]);
  });

  test("with the library's default 5-minute margin, tokens shorter than 5 minutes are refreshed on every use", async () => {
    emu = await startAuthEmulators({ stsExpiresInSeconds: 3 });
    const creds = await resolveCredentials(
      wifSettings(emu),
      'p',
      recordingRuntime({ ...emu.githubEnv }),
    );
    for (let i = 0; i < 4; i++) await creds.authClient.getRequestHeaders();
    expect(counts(emu).sts).toBe(5);
  });

  test('one-hour tokens over six hours of polling: 7 refreshes (every 55 minutes), 3 requests each', async () => {
    // Only Date is faked: sockets and timers stay real, and the servers share the same clock.
    const t0 = Date.UTC(2025, 0, 1, 0, 0, 0);
    jest.useFakeTimers({
      now: t0,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    emu = await startAuthEmulators();
    const creds = await resolveCredentials(
      wifSettings(emu, { serviceAccount: DEFAULT_SERVICE_ACCOUNT }),
      'p',
      recordingRuntime({ ...emu.githubEnv }),
    );
    const refreshMinutes: number[] = [];
    let last = '';
    for (let t = 0; t < 6 * 3600; t += 30) {
      jest.setSystemTime(t0 + t * 1000);
      const token = tokenOf(await creds.authClient.getRequestHeaders())!;
      expect(emu.iam.validToken(token)).toBeDefined();
      if (token !== last) refreshMinutes.push(t / 60);
      last = token;
    }
    expect(refreshMinutes).toEqual([0, 55, 110, 165, 220, 275, 330]);
    expect(counts(emu)).toEqual({ oidc: 7, sts: 7, iam: 7 });
  });
});
