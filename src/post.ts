// The post step (runs always, also after a failed or cancelled main): the backstop that
// cancels a job main was still following when the run was cancelled (the training job, or
// the Kaniko build job of its image), and the cleanup of the registry login main left under
// RUNNER_TEMP. It acts only on state main signed, and cancels only a job whose labels prove
// this execution launched it (phases/post-proof.ts). It only warns; it never fails the job.
import * as core from '@actions/core';
import { cloudCredentials, openVertex } from './cloud/connect.ts';
import { errorMessage } from './core/errors.ts';
import { parseJobName } from './core/job.ts';
import type { LaunchedKind } from './core/launch-proof.ts';
import { removeDockerConfig } from './docker/index.ts';
import { readConnectionSettings, type ConnectionSettings } from './github/inputs.ts';
import { actionLog as log, setSecret } from './github/runtime.ts';
import type { PostState } from './github/state.ts';
import { isOwnDockerConfig, notLaunchedHere, readCheckedState } from './phases/post-proof.ts';
import { cancelCustomJob, getCustomJob } from './vertex/index.ts';
import { isUnfinished, stopOnAbort } from './vertex/lifecycle.ts';

const ACTION = 'wb-vertex-launch';

async function cancelUnfinishedJob(
  env: NodeJS.ProcessEnv,
  saved: PostState,
  kind: LaunchedKind,
): Promise<void> {
  // Only `following` means main was interrupted mid-wait; every other ending was deliberate.
  const job = saved.job(kind);
  if (!isUnfinished(job)) return;
  const settings = readConnectionSettings();
  const stop = await stopOnAbort(settings.cancelOnAbort, () =>
    cancelIfLaunchedHere(env, saved, kind, job.name, settings),
  );
  if (stop.phase === 'left-running') {
    log.info(
      `${job.name} was still running when the run stopped; cancel-on-abort is false, so it keeps running.`,
    );
  }
}

async function cancelIfLaunchedHere(
  env: NodeJS.ProcessEnv,
  saved: PostState,
  kind: LaunchedKind,
  jobName: string,
  settings: ConnectionSettings,
): Promise<void> {
  const where = parseJobName(jobName);
  if (!where) return log.warning(`post step: ${jobName} is not a job name; nothing cancelled.`);
  // As in main: a plaintext local endpoint takes no credentials.
  const cloud = { ...settings, region: where.location, project: where.project };
  const vertex = await openVertex(cloud, await cloudCredentials(cloud, { env, setSecret, log }));
  try {
    const refused = notLaunchedHere(await getCustomJob(vertex, jobName), kind, saved, env);
    if (refused) {
      log.warning(`post step: not cancelling ${jobName}: ${refused}; this step did not launch it.`);
      return;
    }
    const job = await cancelCustomJob(vertex, jobName);
    log.warning(
      `The run stopped while following ${jobName}: cancellation requested (now ${job.state}).`,
    );
  } finally {
    await vertex.close();
  }
}

async function post(env: NodeJS.ProcessEnv): Promise<void> {
  const saved = readCheckedState(env, log);
  const dockerConfig = saved.dockerConfig;
  if (dockerConfig && isOwnDockerConfig(dockerConfig, env)) await removeDockerConfig(dockerConfig);
  await cancelUnfinishedJob(env, saved, 'build');
  await cancelUnfinishedJob(env, saved, 'job');
}

try {
  await post(process.env);
} catch (err) {
  core.warning(`${ACTION}: post step: ${errorMessage(err)}`);
}
