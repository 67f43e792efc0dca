// The post step (runs always, also after a failed or cancelled main): the backstop that
// cancels a job main was still following when the run was cancelled (the training job, or
// the Kaniko build job of its image), and the cleanup of the registry login main left under
// RUNNER_TEMP. It only warns; it never fails the job.
import * as core from '@actions/core';
import { removeDockerConfig } from './docker/index.ts';
import { envInputReader, readConnectionSettings } from './github/inputs.ts';
import { actionLog as log, getState, setSecret, STATE } from './github/runtime.ts';
import { resolveCredentials } from './google-auth/index.ts';
import { cancelCustomJob, connectVertex, resolveVertexEndpoint } from './vertex/index.ts';

const ACTION = 'wb-vertex-launch';

async function cancelUnfinishedJob(
  env: NodeJS.ProcessEnv,
  keys: { name: string; phase: string },
): Promise<void> {
  const jobName = getState(keys.name);
  const phase = getState(keys.phase);
  // Only `following` means main was interrupted mid-wait; every other ending was deliberate.
  if (!jobName || phase !== 'following') return;
  const settings = readConnectionSettings(envInputReader(env));
  if (!settings.cancelOnAbort) {
    log.info(
      `${jobName} was still running when the run stopped; cancel-on-abort is false, so it keeps running.`,
    );
    return;
  }
  const [, project, , region] = jobName.split('/');
  const { auth, vertexEndpoint: endpoint } = settings;
  // As in main: a plaintext local endpoint takes no credentials.
  const tls = resolveVertexEndpoint({ region, endpoint, universe: auth.universe }).tls;
  const credentials =
    tls || auth.workloadIdentityProvider
      ? await resolveCredentials(auth, project, { env, setSecret, log })
      : undefined;
  const vertex = await connectVertex({
    region,
    endpoint,
    authClient: credentials?.authClient,
    projectId: project,
    universe: auth.universe,
  });
  try {
    const job = await cancelCustomJob(vertex, jobName);
    log.warning(
      `The run stopped while following ${jobName}: cancellation requested (now ${job.state}).`,
    );
  } finally {
    await vertex.close();
  }
}

async function post(env: NodeJS.ProcessEnv): Promise<void> {
  const dockerConfig = getState(STATE.dockerConfig);
  if (dockerConfig) await removeDockerConfig(dockerConfig);
  await cancelUnfinishedJob(env, { name: STATE.buildJobName, phase: STATE.buildJobPhase });
  await cancelUnfinishedJob(env, { name: STATE.jobName, phase: STATE.jobPhase });
}

try {
  await post(process.env);
} catch (err) {
  core.warning(`${ACTION}: post step: ${(err as Error)?.message ?? String(err)}`);
}
