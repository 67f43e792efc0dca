// What W&B Launch adds to a launch, as W&B's Vertex runner adds it: the command of every
// container pool (a job's entrypoint, an item's entry point and args), WANDB_* variables beside
// the action's own W&B wiring, and the labels naming a queue item. The compiler applies them.
import { toLabelValue } from '../labels.ts';
import { LABEL } from '../launch-identity.ts';
import type { WandbJob } from './job.ts';
import type { QueueItem } from './run-spec.ts';

export interface WandbLaunchParts {
  /** Every container pool's command; none: the image's own entrypoint runs. */
  command?: string[];
  /** WANDB_* variables; the queue config's own env entries and the `env` input win. */
  env: Record<string, string>;
  /** Provenance labels, set by the action alone. */
  labels: Record<string, string>;
}

/** The W&B job's image runs; its entrypoint is the command; the run records the job it ran. */
export function jobParts(job: WandbJob): WandbLaunchParts {
  return {
    ...(job.entrypoint ? { command: job.entrypoint } : {}),
    env: { WANDB_ARTIFACTS: JSON.stringify({ _wandb_job: job.path }) },
    labels: {},
  };
}

/** A launch from a queue: the run knows its queue, as an agent's runs do. */
export function queueParts(queue: { entity: string; name: string }): WandbLaunchParts {
  return {
    env: { WANDB_LAUNCH_QUEUE_NAME: queue.name, WANDB_LAUNCH_QUEUE_ENTITY: queue.entity },
    labels: {},
  };
}

/** Both parts; `over`'s command, variables and labels win. */
export function mergeParts(base: WandbLaunchParts, over: WandbLaunchParts): WandbLaunchParts {
  const command = over.command ?? base.command;
  return {
    ...(command ? { command } : {}),
    env: { ...base.env, ...over.env },
    labels: { ...base.labels, ...over.labels },
  };
}

/** W&B reads a longer WANDB_CONFIG from WANDB_CONFIG_0, _1, ... (as its runners shard it). */
export const MAX_ENV_VALUE = 32670;

function configEnv(config: Record<string, unknown>): Record<string, string> {
  const json = JSON.stringify(config);
  if (json.length <= MAX_ENV_VALUE) return { WANDB_CONFIG: json };
  const env: Record<string, string> = {};
  for (let i = 0; i * MAX_ENV_VALUE < json.length; i++)
    env[`WANDB_CONFIG_${i}`] = json.slice(i * MAX_ENV_VALUE, (i + 1) * MAX_ENV_VALUE);
  return env;
}

/** The label values naming a queue item's queue and the item, for a later step to find it. */
export function queueItemLabels(
  queue: { entity: string; name: string },
  itemNumber: string,
): Record<string, string> {
  return {
    [LABEL.wandbQueue]: toLabelValue(`${queue.entity}_${queue.name}`),
    [LABEL.runQueueItem]: itemNumber,
  };
}

/**
 * A queue item's launch, as W&B's Vertex runner makes it: the entry point (the item's, else
 * its job's) followed by the item's args as every container's command; the queue, the item
 * (WANDB_LAUNCH_TRACE_ID), the run's name, config, sweep and job in the environment.
 */
export function itemParts(
  item: QueueItem,
  queue: { entity: string; name: string },
  jobEntrypoint?: string[],
): WandbLaunchParts {
  const command = [...(item.entryPoint ?? jobEntrypoint ?? []), ...item.args];
  const artifacts = { ...(item.job ? { _wandb_job: item.job } : {}), ...item.artifacts };
  const env: Record<string, string> = {
    ...queueParts(queue).env,
    WANDB_LAUNCH_TRACE_ID: item.itemId,
    ...(item.name ? { WANDB_NAME: item.name } : {}),
    ...(item.runConfig ? configEnv(item.runConfig) : {}),
    ...(item.sweepId ? { WANDB_SWEEP_ID: item.sweepId } : {}),
    ...(Object.keys(artifacts).length > 0 ? { WANDB_ARTIFACTS: JSON.stringify(artifacts) } : {}),
  };
  return {
    ...(command.length > 0 ? { command } : {}),
    env,
    labels: queueItemLabels(queue, item.itemNumber),
  };
}
