// What W&B Launch adds to a launch, as W&B's Vertex runner adds it: the command of every
// container pool (a job's entrypoint, an item's entry point and args), WANDB_* variables beside
// the action's own W&B wiring, and the labels naming a queue item. The compiler applies them.
import type { WandbJob } from './job.ts';

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

