// W&B Launch as the source of a launch: `wandb-queue` replaces the queue config with the one
// stored in W&B (its template variables filled from `template-variables`, each value checked
// against its schema before anything else is called); `wandb-job` gives the image (nothing is
// built) and the command. Runs before the config is compiled; the two reads go out together.
import type { LaunchContext, WandbJobPath } from '../context.ts';
import { UserError, errorMessage } from '../core/errors.ts';
import { isSecretName, REDACTED } from '../core/redact.ts';
import { DEFAULT_WANDB_BASE_URL } from '../core/wandb.ts';
import { jobPathText, type WandbJob } from '../core/wandb-launch/job.ts';
import { jobParts, mergeParts, queueParts } from '../core/wandb-launch/launch-parts.ts';
import { queueConfigSource, queueOrigin } from '../core/wandb-launch/queue-config.ts';
import { actionLog as log } from '../github/runtime.ts';
import {
  loadWandbJob,
  readRunQueueConfig,
  wandbClient,
  WandbError,
  type QueueRef,
  type WandbClient,
} from '../wandb/index.ts';

/** The W&B client of the step's key (the input reader requires one with W&B Launch inputs). */
export function launchClient(ctx: LaunchContext): WandbClient {
  return wandbClient({
    baseUrl: ctx.wandb.baseUrl ?? DEFAULT_WANDB_BASE_URL,
    apiKey: ctx.wandb.apiKey ?? '',
  });
}

/** What to do about a W&B failure, for the step's error. */
export function wandbHint(err: unknown): string {
  if (!(err instanceof WandbError)) return '';
  if (err.failure === 'refused')
    return ' Check the wandb-api-key secret: an API key (https://wandb.ai/authorize) of a member of the entity.';
  if (err.transient) return " Check wandb-base-url and the runner's network access to it.";
  return '';
}

/** The launch's context with W&B Launch's parts resolved: the queue's config, the job's image. */
export async function fromWandbLaunch(ctx: LaunchContext): Promise<LaunchContext> {
  const { queue, job: jobPath } = ctx.wandbLaunch;
  if (!queue && !jobPath) return ctx;
  const client = launchClient(ctx);
  const [queueConfig, job] = await Promise.all([
    queue ? wandbQueueConfig(client, queue, ctx) : ctx.queueConfig,
    jobPath ? wandbJob(client, jobPath) : undefined,
  ]);
  const fromQueue = queue ? queueParts(queue) : undefined;
  const fromJob = job ? jobParts(job) : undefined;
  const parts = fromQueue && fromJob ? mergeParts(fromQueue, fromJob) : (fromQueue ?? fromJob);
  return {
    ...ctx,
    queueConfig,
    ...(job ? { image: job.image } : {}),
    wandbLaunch: { ...ctx.wandbLaunch, ...(parts ? { parts } : {}) },
  };
}

async function wandbJob(client: WandbClient, path: WandbJobPath): Promise<WandbJob> {
  const text = jobPathText(path);
  const result = await loadWandbJob(client, path).catch((err: unknown) => {
    throw new UserError(
      'inputs',
      `cannot read W&B job ${text}: ${errorMessage(err)}.${wandbHint(err)}`,
    );
  });
  if (!result.ok) throw new UserError('inputs', `wandb-job: ${result.message}`);
  const command = result.job.entrypoint ? `, command ${JSON.stringify(result.job.entrypoint)}` : '';
  log.info(`W&B job ${text}: image ${result.job.image}${command}; nothing is built.`);
  return result.job;
}

async function wandbQueueConfig(client: WandbClient, queue: QueueRef, ctx: LaunchContext) {
  const origin = queueOrigin(queue);
  const stored = await readRunQueueConfig(client, queue).catch((err: unknown) => {
    throw new UserError(
      'queue-config',
      `cannot read ${origin}: ${errorMessage(err)}.${wandbHint(err)}`,
    );
  });
  if (!stored) {
    throw new UserError(
      'queue-config',
      `W&B has no ${origin} (queues live in project model-registry of their entity), or the wandb-api-key may not see it`,
    );
  }
  const result = queueConfigSource(queue, stored, ctx.wandbLaunch.templateVariables);
  if (!result.ok) {
    const what = result.phase === 'inputs' ? 'template-variables' : origin;
    const count = result.problems.length;
    throw new UserError(
      result.phase,
      `${count} problem${count > 1 ? 's' : ''} in ${what}`,
      result.problems,
    );
  }
  const filled = Object.entries(result.values).map(
    ([k, v]) => `${k}=${isSecretName(k) ? REDACTED : JSON.stringify(v)}`,
  );
  log.info(
    `Queue config from ${origin}${filled.length > 0 ? `, template variables ${filled.join(', ')}` : ''}.`,
  );
  return result.source;
}
