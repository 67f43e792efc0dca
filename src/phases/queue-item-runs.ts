// A queue item whose Vertex job ended without its W&B run ever starting (the training never
// called wandb.init) is failed in W&B with stage `run`, as W&B's agent does once its job ends:
// by the agent pass that waited on the job, or by a later `reconcile`. The job's labels name
// the item and the run; the run's place is in the job's own WANDB_* environment.
import type { WandbSettings } from '../context.ts';
import { shortState, type JobSnapshot } from '../core/job.ts';
import { LABEL } from '../core/launch-identity.ts';
import type { Logger } from '../core/log.ts';
import { runPathText } from '../core/results/baseline.ts';
import { syncRetryDelays } from '../core/results/sync-policy.ts';
import { itemIdOfNumber } from '../core/wandb-launch/run-spec.ts';
import { DEFAULT_WANDB_BASE_URL } from '../core/wandb.ts';
import { errorMessage } from '../core/errors.ts';
import { listed } from '../core/retry.ts';
import { abortableSleep, retry, scaledSleep } from '../retry/index.ts';
import {
  failRunQueueItem,
  readRun,
  wandbClient,
  WandbError,
  type WandbClient,
} from '../wandb/index.ts';

export interface RunCheck {
  itemId: string;
  /** The run never started, and the item was failed with stage `run` (or W&B had failed it). */
  failed: boolean;
  message?: string;
}

export interface RunCheckOptions {
  log: Logger;
  /** Waits between reads of a run not there yet (scaled in tests). */
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

/** A read that found the run not there, or still pending. */
class NotStarted extends Error {}

/** Whether W&B has the run, read again for a while when the job ended only just now. */
async function runStarted(
  client: WandbClient,
  job: JobSnapshot,
  path: { entity: string; project: string; runId: string },
  opts: RunCheckOptions,
): Promise<boolean> {
  const read = async () => {
    const run = await readRun(client, path);
    if (run && run.state !== 'pending') return true;
    throw new NotStarted();
  };
  try {
    return await retry(read, {
      retryable: (e) => e instanceof NotStarted || (e instanceof WandbError && e.transient),
      schedule: listed(syncRetryDelays(job.endTime, (opts.now ?? (() => new Date()))())),
      sleep: opts.sleep ?? abortableSleep,
    });
  } catch (e) {
    if (e instanceof NotStarted) return false;
    throw e;
  }
}

/**
 * For an ended job of a queue item: fails the item with stage `run` when its W&B run never
 * started. Undefined for a job that is no queue item's, or whose run cannot be named.
 */
export async function checkQueueItemRun(
  client: WandbClient,
  job: JobSnapshot,
  opts: RunCheckOptions,
): Promise<RunCheck | undefined> {
  const label = job.labels[LABEL.runQueueItem];
  if (!label) return undefined;
  const itemId = itemIdOfNumber(label);
  const runId = job.labels[LABEL.wandbRunId];
  const { entity, project } = job.wandb ?? {};
  if (!itemId || !runId || !entity || !project) {
    opts.log.warning(
      `${job.name} is W&B queue item ${label}'s job, but its run cannot be named (item id, run id, WANDB_ENTITY and WANDB_PROJECT): not checked.`,
    );
    return undefined;
  }
  const path = { entity, project, runId };
  if (await runStarted(client, job, path, opts)) return { itemId, failed: false };
  const message =
    `The Vertex AI job ${job.name} ended ${shortState(job.state)} without its W&B run ` +
    `${runPathText(path)} ever starting: the training never called wandb.init() ` +
    '(it picks up WANDB_RUN_ID, WANDB_PROJECT and WANDB_ENTITY from the environment).';
  const marked = await failRunQueueItem(client, itemId, { message, stage: 'run' });
  opts.log.warning(
    `W&B queue item ${label}: ${message}${marked ? ' The item is failed in W&B (stage run).' : ' W&B had already failed the item.'}`,
  );
  return { itemId, failed: true, message };
}

/** Waits scaled by WB_VERTEX_LAUNCH_TIME_SCALE (tests against fast stand-ins). */
export { scaledSleep };

/**
 * `reconcile`: the ended jobs of queue items checked, each item whose run never started failed
 * in W&B. Needs the W&B key; without one, a warning says what was left unchecked.
 */
export async function checkEndedQueueItems(
  settings: WandbSettings,
  jobs: JobSnapshot[],
  opts: RunCheckOptions,
): Promise<RunCheck[]> {
  const items = jobs.filter((j) => j.labels[LABEL.runQueueItem]);
  if (items.length === 0) return [];
  if (!settings.apiKey) {
    opts.log.warning(
      `${items.length} ended job(s) ran W&B queue items: with wandb-api-key, reconcile fails in W&B those whose run never started.`,
    );
    return [];
  }
  const checks = await Promise.all(
    items.map((job) => {
      const baseUrl = settings.baseUrl ?? job.wandb?.baseUrl ?? DEFAULT_WANDB_BASE_URL;
      const client = wandbClient({ baseUrl, apiKey: settings.apiKey! });
      return checkQueueItemRun(client, job, opts).catch((err: unknown) => {
        opts.log.warning(
          `${job.name}: whether its W&B run started could not be read: ${errorMessage(err)}`,
        );
        return undefined;
      });
    }),
  );
  return checks.filter((c): c is RunCheck => c !== undefined);
}
