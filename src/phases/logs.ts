// The job's training output in the step log while the step follows it, and a failed job's last
// lines for the report. Reading logs never fails a launch (see src/logging/follow.ts).
import { loggingConnection } from '../cloud/connect.ts';
import type { LaunchContext } from '../context.ts';
import type { JobSnapshot } from '../core/job.ts';
import { conclusionOf, isTerminal } from '../core/job.ts';
import type { Logger } from '../core/log.ts';
import { redactSecrets } from '../core/redact.ts';
import type { LogExcerpt } from '../core/report/index.ts';
import { actionLog, printUntrusted } from '../github/runtime.ts';
import type { GoogleCredentials } from '../google-auth/index.ts';
import { followJobLogs, resolveLoggingEndpoint } from '../logging/index.ts';

export interface JobLogs {
  /**
   * Following is over: read the job's last lines (unless the workflow was cancelled), print
   * what is held, and return the failing replica's last lines when the job failed.
   */
  finish(job: JobSnapshot, followed: { aborted: boolean }): Promise<LogExcerpt | undefined>;
}

const NO_LOGS: JobLogs = { finish: async () => undefined };

export function startJobLogs(
  ctx: LaunchContext,
  /** The job's project, and values never to show (the queue config's secrets). */
  launch: { project: string; secrets: string[] },
  job: JobSnapshot,
  credentials: GoogleCredentials | undefined,
  run: {
    signal: AbortSignal;
    /** The Vertex connection's: in (0, 1], for tests against fast local servers. */
    timeScale: number;
    log?: Logger;
    /** Where the job's lines go; default the step log with workflow commands off. */
    print?: (lines: string[]) => void;
  },
): JobLogs {
  const log = run.log ?? actionLog;
  if (!ctx.logs) return NO_LOGS;
  // Values never to show in the report (the step log is masked by the runner).
  const secrets = [...launch.secrets, ctx.wandb.apiKey ?? '', ctx.reporting.githubToken ?? ''];
  const endpoint = resolveLoggingEndpoint({
    endpoint: ctx.loggingEndpoint,
    universe: ctx.auth.universe,
  });
  if (endpoint.tls && !credentials) {
    // Only a plaintext vertex-endpoint (a local server) gets this far without credentials.
    log.debug(
      'Logs: no Google credentials (plaintext vertex-endpoint), so Cloud Logging is not read; set logging-endpoint to read a local server.',
    );
    return NO_LOGS;
  }
  log.info(
    `The job's log entries follow as Cloud Logging makes them visible, each line prefixed by its replica.`,
  );
  const follower = followJobLogs({
    jobName: job.name,
    since: job.createTime,
    connection: loggingConnection({ ...ctx, project: launch.project }, credentials),
    log,
    print: run.print ?? printUntrusted,
    signal: run.signal,
    timeScale: run.timeScale,
    redact: (s) => redactSecrets(s, secrets),
  });
  return {
    async finish(job, followed) {
      const ended = isTerminal(job.state);
      const result = await follower.finish({
        drain: ended && !followed.aborted,
        endTime: job.endTime,
      });
      log.debug(
        `Logs: ${result.lines} lines (${result.lateLines} out of order) in ${result.calls} ListLogEntries calls.`,
      );
      return ended && conclusionOf(job.state) === 'failure' ? result.excerpt : undefined;
    },
  };
}
