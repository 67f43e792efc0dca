// The build job's life: submitted exactly once (by its own label), then the training job's
// lifecycle (src/vertex/lifecycle.ts): recorded for the post step, followed with its logs,
// cancelled when the workflow is, and its end turned into the step's verdict (a failure
// carries Vertex's reason and the executor's last lines).
import { formatDuration } from '../core/duration.ts';
import { UserError } from '../core/errors.ts';
import {
  BUILD_LABEL,
  kanikoArgs,
  kanikoJobRequest,
  type KanikoJobSpec,
} from '../core/image/kaniko.ts';
import { consoleUrl, shortState, type JobSnapshot } from '../core/job.ts';
import { submitCustomJob, type VertexConnection } from '../vertex/index.ts';
import { followJob, type JobPhase } from '../vertex/lifecycle.ts';
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
  const url = consoleUrl(spec.region, job.id, spec.project);
  req.log.info(`Build job: ${url}`);
  // The build's last lines are printed before the step goes on; a failure's go in its error.
  const end = await followJob(vertex, job, {
    timeoutSeconds: req.timeoutSeconds,
    signal: req.signal,
    cancelOnAbort: req.cancelOnAbort,
    log: req.log,
    record: (phase: JobPhase) => req.onBuildJob(job.name, phase),
    logs: req.followLogs?.(job, vertex.timeScale),
  });
  switch (end.verdict) {
    case 'succeeded':
      return end.job;
    case 'left-running':
      throw new UserError(
        'build',
        `the workflow was cancelled while the image was built; cancel-on-abort is false, so the build job ${job.name} keeps running`,
      );
    case 'cancel-requested':
      throw new UserError(
        'build',
        `the workflow was cancelled while the image was built: cancellation of the build job ${job.name} was requested (now ${shortState(end.job.state)})`,
      );
    case 'timed-out':
      throw new UserError(
        'build',
        `stopped following the build job after ${formatDuration(req.timeoutSeconds)} (wait-timeout); ${job.name} is still ` +
          `${shortState(end.job.state)} and keeps running: ${url}. When it succeeds the image is in the registry, ` +
          'and a re-run finds it there and builds nothing.',
      );
    case 'failed':
      throw buildFailed(end.job, url, dockerfileForProblems, end.logs?.lines);
  }
}
