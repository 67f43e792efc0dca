// One queue item of an agent pass, as W&B's agent takes it: ack it at once (another agent
// that won the ack has it: skip), then launch it as W&B's Vertex runner would, or fail it in
// W&B with the stage where it stopped (agent, build) and the reason. An item's own key is
// masked the moment it is read.
import { randomBytes } from 'node:crypto';
import { errorMessage, formatProblem, UserError } from '../../core/errors.ts';
import { parseJobPath } from '../../core/wandb-launch/job.ts';
import { isVertexResource, jsonValue } from '../../core/wandb-launch/queue-config.ts';
import {
  apiKeyOf,
  itemNumberOf,
  readRunSpec,
  type QueueItem,
} from '../../core/wandb-launch/run-spec.ts';
import { generateWandbRunId } from '../../core/wandb.ts';
import { ackRunQueueItem, failRunQueueItem } from '../../wandb/index.ts';
import { ItemFailure } from './failure.ts';
import type { AgentPass } from './pass.ts';
import { submitItem, type ItemResult, type LaunchedItem } from './submit-item.ts';

export type { ItemResult, LaunchedItem };

function messageOf(err: unknown): string {
  if (err instanceof UserError) {
    const shown = err.problems.slice(0, 5).map(formatProblem);
    return [err.message, ...shown].join('; ');
  }
  return errorMessage(err);
}

export async function takeItem(
  pass: AgentPass,
  popped: { itemId: string; runSpec: unknown },
): Promise<ItemResult> {
  const { itemId } = popped;
  const base = { itemId, itemNumber: itemNumberOf(itemId) };
  const spec = jsonValue(popped.runSpec);
  const key = apiKeyOf(spec.ok ? spec.value : undefined);
  if (key) pass.io.mask(key);
  const parsed = readRunSpec(itemId, popped.runSpec);
  const runId = (parsed.ok && parsed.item.runId) || generateWandbRunId(randomBytes);
  let acked: boolean;
  try {
    acked = await ackRunQueueItem(pass.client, itemId, runId);
  } catch (err) {
    // The ack may not have landed: launching could run the item twice. W&B hands an unacked
    // item out again once its lease ends.
    const reason = `the ack failed (${messageOf(err)}); W&B gives the item out again once its lease ends`;
    return { outcome: { ...base, state: 'skipped', reason } };
  }
  if (!acked) {
    return {
      outcome: { ...base, state: 'skipped', reason: 'another agent took it (its ack won)' },
    };
  }
  try {
    if (!parsed.ok) throw new ItemFailure('agent', `the item is not valid: ${parsed.message}`);
    return await launchItem(pass, parsed.item, runId);
  } catch (err) {
    const failure = err instanceof ItemFailure ? err : new ItemFailure('agent', messageOf(err));
    await failInWandb(pass, itemId, failure);
    return {
      outcome: {
        ...base,
        state: 'failed',
        stage: failure.stage,
        reason: failure.message,
        ...(parsed.ok && parsed.item.name ? { title: parsed.item.name } : {}),
      },
    };
  }
}

async function failInWandb(pass: AgentPass, itemId: string, failure: ItemFailure): Promise<void> {
  try {
    await failRunQueueItem(pass.client, itemId, { message: failure.message, stage: failure.stage });
  } catch (err) {
    pass.log.warning(
      `W&B queue item ${itemNumberOf(itemId)}: could not be failed in W&B: ${messageOf(err)}`,
    );
  }
}

/** The image the item runs, and the entry point its job gives (fetched once per pass). */
async function imageOf(
  pass: AgentPass,
  item: QueueItem,
): Promise<{ image: string; entrypoint?: string[] }> {
  // A docker image wins over the job's, as in the SDK: the job is then not read at all.
  if (item.image) return { image: item.image };
  if (item.job) {
    const path = parseJobPath(item.job);
    if (!path)
      throw new ItemFailure(
        'agent',
        `its job "${item.job.slice(0, 120)}" is not ENTITY/PROJECT/NAME:ALIAS`,
      );
    const result = await pass.job(path);
    if (!result.ok) throw new ItemFailure(result.needsBuild ? 'build' : 'agent', result.message);
    return { image: result.job.image, entrypoint: result.job.entrypoint };
  }
  throw new ItemFailure(
    'build',
    'it has neither a docker image nor a job: its code would have to be built into an image, which this agent does not do (queue an image job, or build from the repository with the registry input)',
  );
}

async function launchItem(pass: AgentPass, item: QueueItem, runId: string): Promise<ItemResult> {
  if (!item.vertexArgs) {
    throw new ItemFailure(
      'agent',
      isVertexResource(item.resource)
        ? 'it has no resource_args.gcp-vertex (spec and run) to launch'
        : `its resource is ${item.resource.slice(0, 60)}: this agent launches gcp-vertex items only`,
    );
  }
  const { image, entrypoint } = await imageOf(pass, item);
  return submitItem(pass, item, { image, entrypoint, runId });
}
