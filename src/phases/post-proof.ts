// What the post step may act on: the state main signed (github/signed-state.ts), a
// docker-config directory where main makes it, and only a job whose labels prove that this
// execution of the step launched it (core/launch-proof.ts). Anything else is left alone.
import { tmpdir } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import type { JobSnapshot } from '../core/job.ts';
import { launchProofProblem, type LaunchedKind } from '../core/launch-proof.ts';
import type { Logger } from '../core/log.ts';
import { githubRunInfoFromEnv } from '../github/run-info.ts';
import { readPostState, type PostState } from '../github/state.ts';

/** Where main keeps the registry login: `RUNNER_TEMP/wb-vertex-launch-docker-<run id>`. */
export const DOCKER_CONFIG_PREFIX = 'wb-vertex-launch-docker-';

/** Main's state, checked; one warning names whatever failed the check. */
export function readCheckedState(env: NodeJS.ProcessEnv, log: Logger): PostState {
  const saved = readPostState(env);
  if (saved.rejected.length > 0) {
    log.warning(
      `post step: ignored saved state that this step did not write (${saved.rejected.join(', ')}); ` +
        'nothing is cancelled or removed on its account.',
    );
  }
  return saved;
}

/** Only a directory named as main names it, directly under RUNNER_TEMP, is removed. */
export function isOwnDockerConfig(dir: string, env: NodeJS.ProcessEnv): boolean {
  const path = resolve(dir);
  return (
    dirname(path) === resolve(env.RUNNER_TEMP || tmpdir()) &&
    basename(path).startsWith(DOCKER_CONFIG_PREFIX)
  );
}

/** Why the post step must not cancel `job`; undefined when its labels prove it is ours. */
export function notLaunchedHere(
  job: JobSnapshot,
  kind: LaunchedKind,
  saved: PostState,
  env: NodeJS.ProcessEnv,
): string | undefined {
  return launchProofProblem(job.labels, kind, githubRunInfoFromEnv(env), saved.launchId);
}
