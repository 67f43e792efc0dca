// The W&B Launch inputs: `wandb-queue`, `template-variables`, `wandb-job`, `agent` and
// `agent-max-items`, read and checked against each other and the rest of the step's inputs.
// Every problem is collected with the others of inputs.ts.
import * as core from '@actions/core';
import type { WandbLaunchInputs } from '../context.ts';
import type { Problem } from '../core/errors.ts';
import { parseKeyValueLines } from '../core/keyvalue.ts';

export const MAX_AGENT_ITEMS = 100;

/** What the W&B Launch inputs are checked against. */
export interface OtherInputs {
  queueConfig: boolean;
  image: boolean;
  registry: boolean;
  attach: boolean;
  reconcile: boolean;
  dryRun: boolean;
  apiKey: boolean;
  wandbEntity?: string;
}

const QUEUE = /^(?:([^/\s]+)\/)?([^/\s]+)$/;
const JOB = /^([^/\s]+)\/([^/\s]+)\/([^/:\s]+)(?::([^/:\s]+))?$/;

export function readWandbLaunchInputs(
  agent: boolean,
  other: OtherInputs,
  problems: Problem[],
): WandbLaunchInputs {
  const input = (name: string) => core.getInput(name);
  const add = (path: string, message: string) => problems.push({ path, message });
  const queueText = input('wandb-queue');
  const queueMatch = QUEUE.exec(queueText);
  const queueEntity = queueMatch?.[1] ?? other.wandbEntity;
  if (queueText && (!queueMatch || !queueEntity)) {
    add(
      'wandb-queue',
      `"${queueText.slice(0, 80)}" is not ENTITY/QUEUE${queueMatch ? ' (or QUEUE with wandb-entity)' : ''}`,
    );
  }
  const queue =
    queueMatch && queueEntity ? { entity: queueEntity, name: queueMatch[2] } : undefined;
  const variables = parseKeyValueLines(input('template-variables'), 'template-variables');
  problems.push(...variables.problems);
  const jobText = input('wandb-job');
  const jobMatch = JOB.exec(jobText);
  if (jobText && !jobMatch)
    add('wandb-job', `"${jobText.slice(0, 80)}" is not ENTITY/PROJECT/NAME:ALIAS`);
  const maxText = input('agent-max-items');
  const maxItems = maxText ? Number(maxText) : 1;
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > MAX_AGENT_ITEMS)
    add('agent-max-items', `"${maxText}" is not a whole number from 1 to ${MAX_AGENT_ITEMS}`);

  const hasVariables = Object.keys(variables.values).length > 0;
  if (queueText && other.queueConfig)
    add('wandb-queue', 'give queue-config or wandb-queue, not both');
  if (hasVariables && !queueText)
    add('template-variables', "fill a W&B queue's {{NAME}} placeholders: give wandb-queue too");
  if (jobText && (other.image || other.registry))
    add('wandb-job', 'a W&B job brings its own image: give wandb-job or image/registry, not both');
  if ((queueText || jobText || agent) && !other.apiKey)
    add(
      'wandb-api-key',
      'required with wandb-queue, wandb-job and agent: W&B Launch is read with it',
    );
  if (agent) checkAgent(other, { queue: queueText, job: jobText, hasVariables }, add);

  return {
    queue,
    templateVariables: variables.values,
    job: jobMatch
      ? {
          entity: jobMatch[1],
          project: jobMatch[2],
          name: jobMatch[3],
          alias: jobMatch[4] ?? 'latest',
        }
      : undefined,
    agentMaxItems: Number.isInteger(maxItems) ? maxItems : 1,
  };
}

/** An agent pass takes everything from the queue's items: it launches nothing of its own. */
function checkAgent(
  other: OtherInputs,
  given: { queue: string; job: string; hasVariables: boolean },
  add: (path: string, message: string) => void,
): void {
  if (!given.queue) add('agent', 'agent: true drains a W&B queue: give wandb-queue');
  const conflicts: [boolean, string][] = [
    [other.attach, 'attach'],
    [other.reconcile, 'reconcile'],
    [other.dryRun, 'dry-run'],
    [other.queueConfig, 'queue-config'],
    [other.image, 'image'],
    [other.registry, 'registry'],
    [Boolean(given.job), 'wandb-job'],
    [given.hasVariables, 'template-variables'],
  ];
  for (const [present, name] of conflicts) {
    if (present)
      add(
        'agent',
        `agent: true launches the queue's items as they are: ${name} does not apply (a separate step can use it)`,
      );
  }
}
