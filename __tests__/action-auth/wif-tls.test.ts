// The bundled action, run as the GitHub runner runs it, authenticating with workload identity
// federation and service account impersonation against the local OIDC/STS/IAM stand-ins and
// talking TLS to the Vertex emulator, which accepts only tokens the IAM stand-in issued.
import { afterEach, describe, expect, test } from '@jest/globals';
import { parseBody, type RecordedRequest } from '../../emulators/google-auth/http.ts';
import { DEFAULT_SERVICE_ACCOUNT } from '../../emulators/google-auth/index.ts';
import { runAction } from '../helpers/action-runner.ts';
import { signedState } from '../helpers/signed-state.ts';
import { BASE_INPUTS, startCredentialedSetup, type CredentialedSetup } from './setup.ts';

let setup: CredentialedSetup | undefined;
afterEach(async () => {
  await setup?.close();
  setup = undefined;
});

const header = (req: RecordedRequest, name: string): string => String(req.headers[name] ?? '');

describe('workload identity federation with impersonation, Vertex over TLS', () => {
  test('the step succeeds and every Vertex RPC carries the impersonated (IAM) token, never the STS token', async () => {
    setup = await startCredentialedSetup();
    const { auth, vertex } = setup;
    const result = await runAction({
      inputs: { ...BASE_INPUTS, ...setup.authInputs },
      env: setup.env,
      timeoutMs: 40_000,
    });
    expect(result.errors).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.outputs['job-state']).toBe('JOB_STATE_SUCCEEDED');

    // The OIDC token was asked for the provider's default audience, with the request token.
    expect(auth.oidc.requests).toHaveLength(1);
    const oidcUrl = new URL(auth.oidc.requests[0]!.url, auth.oidc.url);
    expect(oidcUrl.searchParams.get('audience')).toBe(
      `https://iam.googleapis.com/${auth.provider}`,
    );
    expect(header(auth.oidc.requests[0]!, 'authorization')).toBe(
      `bearer ${auth.oidc.requestToken}`,
    );
    // STS exchanged that JWT for the provider; IAM Credentials minted the token with the STS one.
    expect(auth.sts.requests).toHaveLength(1);
    const exchange = parseBody(auth.sts.requests[0]!);
    expect(exchange.audience).toBe(`//iam.googleapis.com/${auth.provider}`);
    expect(exchange.subject_token).toBe(auth.oidc.issued[0]);
    expect(auth.iam.requests).toHaveLength(1);
    expect(auth.iam.requests[0]!.url).toContain(
      `/serviceAccounts/${encodeURIComponent(DEFAULT_SERVICE_ACCOUNT)}:generateAccessToken`,
    );
    expect(header(auth.iam.requests[0]!, 'authorization')).toBe(
      `Bearer ${auth.sts.issued[0]!.token}`,
    );

    const calls = vertex.record().calls;
    expect(calls.map((c) => c.method)).toContain('CreateCustomJob');
    expect(calls.map((c) => c.method)).toContain('GetCustomJob');
    const iamTokens = new Set(auth.iam.issued.map((t) => t.token));
    const stsTokens = new Set(auth.sts.issued.map((t) => t.token));
    for (const call of calls) {
      expect(call.code).toBe(0);
      expect(iamTokens.has(call.token ?? '')).toBe(true);
      expect(stsTokens.has(call.token ?? '')).toBe(false);
    }
    // A one-hour token is fetched once and reused by every RPC.
    expect(new Set(calls.map((c) => c.token)).size).toBe(1);
  }, 60_000);

  test('short-lived tokens expiring during the wait are refreshed, not fatal: each RPC gets a fresh, valid token', async () => {
    // 2-second impersonated tokens; the job runs ~3 s (4 ticks of 750 ms) after creation.
    // google-auth-library refreshes a token 5 minutes before it expires (the action keeps the
    // default), so a token shorter than that counts as expired at once and is fetched again
    // on every use: each RPC makes its own OIDC -> STS -> IAM round, and none ever fails.
    setup = await startCredentialedSetup({ auth: { iamLifetimeSeconds: 2 }, tickMs: 750 });
    const { auth, vertex } = setup;
    const result = await runAction({
      inputs: { ...BASE_INPUTS, ...setup.authInputs },
      env: setup.env,
      timeoutMs: 40_000,
    });
    expect(result.errors).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.outputs['job-state']).toBe('JOB_STATE_SUCCEEDED');

    // Vertex and Cloud Logging RPCs alike (the job's logs are read with the same credentials).
    const calls = [...vertex.record().calls, ...setup.logging.calls()].sort(
      (a, b) => Date.parse(a.time) - Date.parse(b.time),
    );
    const issued = new Map(auth.iam.issued.map((t) => [t.token, t]));
    for (const call of calls) {
      expect(call.code).toBe(0);
      const token = issued.get(call.token ?? '');
      expect(token).toBeDefined();
      // Valid when used: the emulator recorded the call before the token's expiry.
      expect(Date.parse(call.time)).toBeLessThan(token!.expiresAt);
    }
    const distinct = new Set(calls.map((c) => c.token));
    expect(distinct.size).toBeGreaterThan(1);
    // Calls made at the same moment (a Vertex poll and a log read) share one refresh.
    expect(distinct.size).toBeLessThanOrEqual(calls.length);
    expect(distinct.size).toBeGreaterThan(calls.length / 2);
    // One round for the auth phase's first token, then one per refresh; three requests each.
    const rounds = auth.iam.issued.length;
    expect(rounds).toBe(distinct.size + 1);
    expect(setup.tokenRequests()).toEqual({ oidc: rounds, sts: rounds, iam: rounds });
    // The wait outlived the first token: later RPCs ran after it had expired.
    const first = auth.iam.issued[0]!;
    expect(Date.parse(calls.at(-1)!.time)).toBeGreaterThan(first.expiresAt);
  }, 60_000);
});

describe('post step', () => {
  test('after a normal run it neither authenticates nor calls Vertex', async () => {
    setup = await startCredentialedSetup();
    const { vertex } = setup;
    const inputs = { ...BASE_INPUTS, ...setup.authInputs };
    const main = await runAction({ inputs, env: setup.env, timeoutMs: 40_000 });
    expect(main.code).toBe(0);
    expect(main.state['job-phase']).toBe('done');
    const callsAfterMain = vertex.record().calls.length;
    const tokensAfterMain = setup.tokenRequests();

    const post = await runAction({
      step: 'post',
      inputs,
      env: setup.env,
      state: main.state,
      runnerTemp: main.runnerTemp,
      timeoutMs: 40_000,
    });
    expect(post.code).toBe(0);
    expect(post.stdout).not.toMatch(/^::(warning|error)/m);
    expect(vertex.record().calls).toHaveLength(callsAfterMain);
    expect(setup.tokenRequests()).toEqual(tokensAfterMain);
  }, 60_000);

  test('control: after a run interrupted while following, it authenticates and cancels the job', async () => {
    // Shows the previous test's "no calls" could have failed: the same post step, given the
    // state of a main step that was still following, goes through WIF and calls Vertex.
    setup = await startCredentialedSetup({ scenario: 'run-forever' });
    const { auth, vertex } = setup;
    const inputs = { ...BASE_INPUTS, ...setup.authInputs };
    const main = await runAction({
      inputs: { ...inputs, wait: 'false' },
      env: setup.env,
      timeoutMs: 40_000,
    });
    expect(main.code).toBe(0);
    expect(main.state['job-phase']).toBe('detached');
    const post = await runAction({
      step: 'post',
      inputs,
      env: setup.env,
      // As main writes it (signed): the post step ignores state main did not write.
      state: { ...main.state, ...signedState({ 'job-phase': 'following' }, main.runId) },
      runnerTemp: main.runnerTemp,
      timeoutMs: 40_000,
    });
    expect(post.code).toBe(0);
    const cancel = vertex.record().calls.filter((c) => c.method === 'CancelCustomJob');
    expect(cancel).toHaveLength(1);
    expect(cancel[0]!.code).toBe(0);
    expect(auth.iam.issued.map((t) => t.token)).toContain(cancel[0]!.token);
  }, 60_000);
});
