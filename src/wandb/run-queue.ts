// W&B Launch run queues through the W&B API: a queue's stored config (as the SDK's `RunQueue`
// reads it: the queue's metadata, then its default resource config), and the agent's pop, ack
// and fail of its items. Values come back as W&B sends them; src/core/wandb-launch reads them.
import { WandbError, type WandbClient } from './client.ts';
import {
  ACK_MUTATION,
  DEFAULT_RESOURCE_CONFIG_QUERY,
  FAIL_MUTATION,
  LAUNCH_PROJECT,
  POP_MUTATION,
  RUN_QUEUE_METADATA_QUERY,
  type DefaultResourceConfigResponse,
  type PopResponse,
  type RunQueueMetadataResponse,
  type SuccessResponse,
} from './launch-queries.ts';

export interface QueueRef {
  entity: string;
  name: string;
}

/** A queue's default resource config as stored: `config` and each `schema` may be JSON text. */
export interface StoredQueueConfig {
  resource?: string;
  config: unknown;
  templateVariables: { name: string; schema: unknown }[];
}

/** The queue's stored config; undefined when W&B has no such queue (or the key may not see it). */
export async function readRunQueueConfig(
  client: WandbClient,
  queue: QueueRef,
): Promise<StoredQueueConfig | undefined> {
  const meta = await client.request<RunQueueMetadataResponse>(
    'GetRunQueueMetadata',
    RUN_QUEUE_METADATA_QUERY,
    { projectName: LAUNCH_PROJECT, entityName: queue.entity, runQueue: queue.name },
  );
  const runQueue = meta.project?.runQueue;
  if (!runQueue) return undefined;
  // A queue without a default resource config has an empty one, as the SDK reads it.
  if (!runQueue.defaultResourceConfigID) return { config: {}, templateVariables: [] };
  const data = await client.request<DefaultResourceConfigResponse>(
    'GetDefaultResourceConfig',
    DEFAULT_RESOURCE_CONFIG_QUERY,
    { entityName: queue.entity, id: runQueue.defaultResourceConfigID },
  );
  const stored = data.entity?.defaultResourceConfig;
  if (!stored) {
    throw new WandbError(
      'graphql',
      `GetDefaultResourceConfig: W&B has no config ${runQueue.defaultResourceConfigID} of queue ${queue.entity}/${queue.name}`,
    );
  }
  return {
    resource: stored.resource,
    config: stored.config,
    templateVariables: stored.templateVariables ?? [],
  };
}

/** The next item, claimed for this agent until acked; undefined when the queue is empty. */
export async function popRunQueueItem(
  client: WandbClient,
  queue: QueueRef,
): Promise<{ itemId: string; runSpec: unknown } | undefined> {
  const data = await client.request<PopResponse>('popFromRunQueue', POP_MUTATION, {
    entity: queue.entity,
    project: LAUNCH_PROJECT,
    queueName: queue.name,
  });
  const item = data.popFromRunQueue;
  return item ? { itemId: item.runQueueItemId, runSpec: item.runSpec } : undefined;
}

/** Takes the popped item for good, naming its run; false when another agent took it first. */
export async function ackRunQueueItem(
  client: WandbClient,
  itemId: string,
  runId: string,
): Promise<boolean> {
  const data = await client.request<SuccessResponse>('ackRunQueueItem', ACK_MUTATION, {
    itemId,
    runId,
  });
  return data.ackRunQueueItem?.success === true;
}

/** Marks the item failed at `stage` (agent, build or run), with the reason W&B shows. */
export async function failRunQueueItem(
  client: WandbClient,
  itemId: string,
  failure: { message: string; stage: 'agent' | 'build' | 'run' },
): Promise<boolean> {
  const data = await client.request<SuccessResponse>('failRunQueueItem', FAIL_MUTATION, {
    runQueueItemId: itemId,
    message: failure.message,
    stage: failure.stage,
  });
  return data.failRunQueueItem?.success === true;
}
