// With workload identity federation, Cloud Logging over TLS gets the same impersonated token
// as Vertex, and the training output reaches the step log.
import {
  BASE_INPUTS,
  startCredentialedSetup,
  type CredentialedSetup,
} from '../action-auth/setup.ts';
import { runAction } from '../helpers/action-runner.ts';
import { untrustedBlocks } from './setup.ts';

let setup: CredentialedSetup | undefined;
afterAll(async () => {
  await setup?.close();
});

test('every ListLogEntries call carries the IAM token, and the lines are printed', async () => {
  setup = await startCredentialedSetup({ tickMs: 250 });
  setup.logging.queueScripts({
    entries: [
      { at: 30, replica: 'workerpool0-0', text: 'hello from the trainer' },
      { at: 40, replica: 'workerpool0-0', text: 'done' },
    ],
  });
  const result = await runAction({
    inputs: { ...BASE_INPUTS, ...setup.authInputs },
    env: setup.env,
    timeoutMs: 40_000,
  });
  expect(result.code).toBe(0);
  expect(untrustedBlocks(result.stdout).flatMap((b) => b.lines)).toEqual([
    '[workerpool0-0] hello from the trainer',
    '[workerpool0-0] done',
  ]);
  const iamTokens = new Set(setup.auth.iam.issued.map((t) => t.token));
  const calls = setup.logging.calls();
  expect(calls.length).toBeGreaterThan(0);
  for (const call of calls) {
    expect(call.code).toBe(0);
    expect(iamTokens.has(call.token ?? '')).toBe(true);
  }
}, 60_000);
