// An agent pass with `wait`: every launched item's job followed to its end at once, its check
// run completed, and an item whose job ended without its W&B run ever starting failed in W&B
// with stage `run`. The workflow's cancellation stops the wait (and cancels the jobs with
// cancel-on-abort); the wait-timeout leaves them running, their check runs open.
import { isTerminal } from '../../core/job.ts';
import { followJob } from '../../vertex/lifecycle.ts';
import { checkQueueItemRun, scaledSleep } from '../queue-item-runs.ts';
import { abortOnSignals } from '../signals.ts';
import type { AgentPass } from './pass.ts';
import type { LaunchedItem } from './submit-item.ts';
import { errorMessage } from '../../core/errors.ts';

export async function followItems(pass: AgentPass, launched: LaunchedItem[]): Promise<void> {
  const { ctx, env } = pass;
  const abort = abortOnSignals();
  const sleep = scaledSleep(env);
  await Promise.all(
    launched.map(async (item) => {
      const followed = await followJob(item.vertex, item.job, {
        timeoutSeconds: ctx.waitTimeoutSeconds,
        signal: abort.signal,
        cancelOnAbort: ctx.cancelOnAbort,
        log: pass.log,
        onStateChange: (job) => item.progress.stateChanged(job),
      });
      const last = followed.job;
      item.outcome.jobState = last.state;
      await item.progress.finish(last, {
        waitTimedOut: followed.timedOut,
        ...(followed.aborted ? { outcome: 'cancelled' as const } : {}),
      });
      if (followed.aborted || !isTerminal(last.state)) return;
      const check = await checkQueueItemRun(pass.client, last, { log: pass.log, sleep }).catch(
        (err: unknown) => {
          pass.log.warning(
            `W&B queue item ${item.outcome.itemNumber}: whether its run started could not be read: ${errorMessage(err)}`,
          );
          return undefined;
        },
      );
      if (check?.failed) {
        Object.assign(item.outcome, { state: 'failed', stage: 'run', reason: check.message });
      }
    }),
  );
}
