// The build job's life: submitted exactly once (by its own label), followed with the training
// job's follow code, cancelled when the workflow is, and its end turned into the step's verdict
// (a failure carries Vertex's reason and the executor's last lines).
import { formatDuration } from '../core/duration.ts';
import { UserError } from '../core/errors.ts';
import {
  BUILD_LABEL,
  kanikoArgs,
  kanikoJobRequest,
  type KanikoJobSpec,
} from '../core/image/kaniko.ts';
import { consoleUrl, isTerminal, shortState, type JobSnapshot } from '../core/job.ts';
import {
  cancelCustomJob,
  followCustomJob,
  submitCustomJob,
  type VertexConnection,
} from '../vertex/index.ts';
import type { KanikoRequest } from './request.ts';

/** How many of the executor's last lines a failure shows. */
const KANIKO_LAST_LINES = 30;

/** A cancellation before the build job exists: nothing to cancel on Vertex. */
export function cancelledBeforeBuild(): UserError {
  return new UserError(
    'build',
    'the workflow was cancelled while the build context was prepared; no build job was created',
  );
}

/**
 * The step's error for a build job that did not succeed: Vertex's reason, then the executor's
 * last lines: from its log entries when they were read, else what follows the first line of
 * the job's error (a container's termination message, where the service gives one).
 */
export function buildFailed(
  job: JobSnapshot,
  url: string,
  dockerfile: string,
  logLines?: string[],
): UserError {
  const [first, ...rest] = (job.error?.message ?? '').trim().split('\n');
  const reason = first.replace(/\.$/, '');
  const lines = (logLines && logLines.length > 0 ? logLines : rest)
    .filter((l) => l.trim() !== '')
    .slice(-KANIKO_LAST_LINES);
  return new UserError(
    'build',
    `the Kaniko build job ${job.name} ended ${shortState(job.state)}${reason ? `: ${reason}` : ''}; ` +
      'nothing was submitted.' +
      (lines.length > 0
        ? ` The executor's last lines:\n${lines.map((l) => `  ${l}`).join('\n')}`
        : '') +
      `\nBuild job: ${url}`,
    [{ path: 'dockerfile', file: dockerfile, message: 'the image build failed' }],
  );
}

/** Submit the build job, follow it to its end, and return it (SUCCEEDED) or throw. */
export async function runBuildJob(
  req: KanikoRequest,
  vertex: VertexConnection,
  spec: KanikoJobSpec,
  dockerfileForProblems: string,
): Promise<JobSnapshot> {
  const request = kanikoJobRequest(spec);
  const { args } = kanikoArgs(spec);
  req.log.info(`Kaniko executor ${spec.executorImage} ${args.join(' ')}`);
  const { job } = await submitCustomJob(vertex, request, {
    launchLabel: { key: BUILD_LABEL.buildId, value: request.customJob.labels[BUILD_LABEL.buildId] },
    log: req.log,
  });
  req.onBuildJob(job.name, 'following');
  const url = consoleUrl(spec.region, job.id, spec.project);
  req.log.info(`Build job: ${url}`);
  const logs = req.followLogs?.(job, vertex.timeScale);
  const followed = await followCustomJob(vertex, job.name, {
    timeoutSeconds: req.timeoutSeconds,
    signal: req.signal,
    log: req.log,
  }).catch(async (e: unknown) => {
    await logs?.finish(job, { aborted: true });
    throw e;
  });
  const last = followed.job;
  // The build's last lines are printed before the step goes on; a failure's go in its error.
  const excerpt = await logs?.finish(last, followed);
  if (followed.aborted) {
    if (!req.cancelOnAbort) {
      req.onBuildJob(job.name, 'left-running');
      throw new UserError(
        'build',
        `the workflow was cancelled while the image was built; cancel-on-abort is false, so the build job ${job.name} keeps running`,
      );
    }
    const cancelled = await cancelCustomJob(vertex, job.name);
    req.onBuildJob(job.name, 'cancel-requested');
    throw new UserError(
      'build',
      `the workflow was cancelled while the image was built: cancellation of the build job ${job.name} was requested (now ${shortState(cancelled.state)})`,
    );
  }
  if (followed.timedOut && !isTerminal(last.state)) {
    req.onBuildJob(job.name, 'detached');
    throw new UserError(
      'build',
      `stopped following the build job after ${formatDuration(req.timeoutSeconds)} (wait-timeout); ${job.name} is still ` +
        `${shortState(last.state)} and keeps running: ${url}. When it succeeds the image is in the registry, ` +
        'and a re-run finds it there and builds nothing.',
    );
  }
  req.onBuildJob(job.name, 'done');
  if (last.state !== 'JOB_STATE_SUCCEEDED')
    throw buildFailed(last, url, dockerfileForProblems, excerpt?.lines);
  return last;
}
