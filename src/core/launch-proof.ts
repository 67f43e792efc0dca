// What the post step needs before it cancels a job: proof that this execution of the step
// launched it. Two independent checks, because text the action prints could once write state
// (see untrusted-text.ts) and because state alone names any job in any project:
// - the saved state carries a MAC keyed by a secret both main and post hold and the job's code
//   never sees (the github-token input), bound to the run;
// - the job's own labels name this repository, run, attempt and the launch id main saved.
// Pure: the secret and the run come in as arguments.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BUILD_LABEL } from './image/kaniko.ts';
import { LABEL, launchLabels } from './launch-identity.ts';
import type { GitHubRunInfo } from './queue-config/template-values.ts';

/** The run a saved value belongs to: main and its post step share all three. */
export type StateBinding = Pick<GitHubRunInfo, 'repository' | 'runId' | 'runAttempt'>;

export function stateMac(secret: string, run: StateBinding, name: string, value: string): string {
  const message = [
    'wb-vertex-launch state v1',
    run.repository ?? '',
    run.runId ?? '',
    run.runAttempt ?? '',
    name,
    value,
  ].join('\n');
  return createHmac('sha256', secret).update(message).digest('hex');
}

export function stateMacMatches(
  secret: string,
  run: StateBinding,
  name: string,
  value: string,
  mac: string | undefined,
): boolean {
  if (!mac) return false;
  const expected = Buffer.from(stateMac(secret, run, name, value));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A training job (`wb-vertex-launch-id`) or a Kaniko build job (`wb-vertex-launch-build`). */
export type LaunchedKind = 'job' | 'build';

/**
 * Why the job's labels do not prove that the run `github`, in the execution that saved
 * `launchId`, launched it; undefined when they do.
 */
export function launchProofProblem(
  labels: Record<string, string>,
  kind: LaunchedKind,
  github: GitHubRunInfo,
  launchId: string | undefined,
): string | undefined {
  if (!launchId) return 'no launch id was saved by this step';
  const expected = launchLabels(github, '', launchId);
  const idKey = kind === 'job' ? LABEL.launchId : BUILD_LABEL.buildId;
  const wanted: Array<[string, string | undefined]> = [
    [idKey, expected[LABEL.launchId]],
    [LABEL.repository, expected[LABEL.repository]],
    [LABEL.runId, expected[LABEL.runId]],
    [LABEL.runAttempt, expected[LABEL.runAttempt]],
  ];
  for (const [key, value] of wanted) {
    if (labels[key] !== value) {
      const found = labels[key] === undefined ? 'no such label' : `"${labels[key]}"`;
      return `its label ${key} is ${found}, not "${value ?? '(none)'}"`;
    }
  }
  return undefined;
}
