// The image phase with builder: kaniko: the build runs remotely as a Vertex AI CustomJob in the
// training job's region, under its service account, with the same endpoints and credentials;
// its log entries are followed into the step log like the training job's (`logs`).
// The build job's name goes into the step's state as soon as it exists, so the post step can
// cancel it if the run is cancelled while main still follows it.
import { tmpdir } from 'node:os';
import { openVertex } from '../cloud/connect.ts';
import type { LaunchContext } from '../context.ts';
import type { CompiledLaunch } from '../core/queue-config/compile.ts';
import type { ImageRequest } from '../docker/index.ts';
import { secretBuildArgValues } from '../core/image/kaniko.ts';
import { actionLog as log, group } from '../github/runtime.ts';
import { saveJob } from '../github/state.ts';
import type { GoogleCredentials } from '../google-auth/index.ts';
import { UserError } from '../core/errors.ts';
import { buildWithKaniko, cancelledBeforeBuild } from '../kaniko/index.ts';
import { startJobLogs } from './logs.ts';
import type { PreparedLaunch } from './prepare.ts';

/** What a remote build needs beyond a local one: where and as whom the build job runs. */
export interface RemoteBuild {
  prepared: PreparedLaunch;
  launch: CompiledLaunch;
  project: string;
  credentials: GoogleCredentials;
  env: NodeJS.ProcessEnv;
}

/** Cancellation reaches the step as SIGINT/SIGTERM: abort the build's follow, only while it runs. */
async function whileSignalsAbort<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.on('SIGINT', abort);
  process.on('SIGTERM', abort);
  try {
    return await fn(controller.signal);
  } catch (err) {
    // An abort while hashing, packing or uploading surfaces as the stream's AbortError.
    if (controller.signal.aborted && !(err instanceof UserError)) throw cancelledBeforeBuild();
    throw err;
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  }
}

export async function kanikoBuiltImage(
  ctx: LaunchContext,
  opts: Pick<ImageRequest, 'workspace' | 'getAccessToken' | 'commitSha'>,
  remote: RemoteBuild,
): Promise<{ imageUri: string; digest: string }> {
  if (ctx.builder.kind !== 'kaniko' || !ctx.registry) throw new Error('not a Kaniko build');
  const { contextStore, executorImage } = ctx.builder;
  const { launch, project, credentials } = remote;
  const serviceAccount = launch.request.customJob.jobSpec.serviceAccount;
  // Masked by builtImage; kept out of the build's log excerpt here.
  const buildSecrets = secretBuildArgValues(ctx.build.buildArgs);
  return whileSignalsAbort((signal) =>
    buildWithKaniko({
      registry: ctx.registry as string,
      build: ctx.build,
      workspace: opts.workspace,
      getAccessToken: opts.getAccessToken,
      commitSha: opts.commitSha,
      project,
      region: launch.region,
      contextStore,
      executorImage,
      serviceAccount: typeof serviceAccount === 'string' ? serviceAccount : undefined,
      github: remote.prepared.github,
      buildId: remote.prepared.launchLabel.value,
      timeoutSeconds: ctx.waitTimeoutSeconds,
      cancelOnAbort: ctx.cancelOnAbort,
      storage: {
        endpoint: ctx.preflight.storageEndpoint,
        universe: ctx.auth.universe,
        authClient: credentials.authClient,
        projectId: project,
      },
      openVertex: () => openVertex({ ...ctx, region: launch.region, project }, credentials),
      tempDir: remote.env.RUNNER_TEMP || tmpdir(),
      log,
      group,
      onBuildJob(name, phase) {
        saveJob('build', name, phase);
      },
      // The executor's output, in the step log as the training job's is.
      followLogs: (job, timeScale) =>
        startJobLogs(
          ctx,
          { project, secrets: [...launch.secrets, ...buildSecrets] },
          job,
          credentials,
          {
            signal,
            timeScale,
          },
        ),
      signal,
    }),
  );
}
