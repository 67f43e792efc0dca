// State as main writes it for the post step: each value with its MAC (src/github/signed-state.ts),
// for tests that hand the post step state main never wrote, signed as if it had.
import { stateMac } from '../../src/core/launch-proof.ts';
import { TEST_GITHUB_TOKEN } from './action-runner.ts';

/** `values` with a `NAME-mac` beside each, keyed by the test runs' github-token. */
export function signedState(
  values: Record<string, string>,
  runId: string,
  token = TEST_GITHUB_TOKEN,
): Record<string, string> {
  const run = { repository: 'org/repo', runId, runAttempt: '1' };
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    out[name] = value;
    out[`${name}-mac`] = stateMac(token, run, name, value);
  }
  return out;
}
