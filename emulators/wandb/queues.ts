// W&B Launch run queues for the W&B stand-in: each queue has a default resource config (its
// resource, its config with `{{NAME}}` template variables, their schemas) and items. An item is
// PENDING until popped; a pop claims it (CLAIMED) for a lease; an ack within the lease makes it
// LEASED (its run named); a claim not acked in time returns the item to PENDING, as W&B does
// for an agent that died between pop and ack. Failing an item records its message and stage.
import { renderTemplate } from './template-render.ts';

export type ItemState = 'PENDING' | 'CLAIMED' | 'LEASED' | 'FAILED';

export interface QueueSeed {
  /** The queue's resource; default `gcp-vertex`. */
  resource?: string;
  /** The resource config as the W&B App stores it: for Vertex, `{spec, run}`. */
  config: Record<string, unknown>;
  /** Template variables by name, as W&B stores them: `{schema: {type, minimum, ...}}`. */
  templateVariables?: Record<string, { schema: Record<string, unknown>; description?: string }>;
}

export interface ItemSeed {
  /** The launch spec as `wandb launch --queue` pushes it (job, docker, overrides, resource...). */
  runSpec: Record<string, unknown>;
  /** Values for the queue's template variables; defaults from their schemas. */
  templateVariableValues?: Record<string, unknown>;
}

export interface StoredQueue {
  id: string;
  entity: string;
  name: string;
  configId: string;
  resource: string;
  config: Record<string, unknown>;
  templateVariables: NonNullable<QueueSeed['templateVariables']>;
}

export interface StoredItem {
  id: string;
  queue: StoredQueue;
  seed: ItemSeed;
  state: ItemState;
  claimedUntil?: number;
  associatedRunId?: string;
  failure?: { message: string; stage: string; filePaths?: string[] };
  /** The next ack is answered `success: false`, as when another agent acked it first. */
  ackTakenElsewhere?: boolean;
}

const encode = (text: string) => Buffer.from(text).toString('base64');

export class QueueStore {
  private readonly queues = new Map<string, StoredQueue>();
  private readonly items: StoredItem[] = [];
  private counter = 0;
  /** How long a popped item stays claimed without an ack. */
  leaseMs = 60_000;
  now: () => number = Date.now;

  addQueue(path: string, seed: QueueSeed): StoredQueue {
    const [entity, name] = path.split('/');
    if (!entity || !name) throw new Error(`not a queue path ENTITY/QUEUE: ${path}`);
    const n = ++this.counter;
    const queue: StoredQueue = {
      id: encode(`RunQueue:${n}`),
      entity,
      name,
      configId: encode(`DefaultResourceConfig:${n}`),
      resource: seed.resource ?? 'gcp-vertex',
      config: seed.config,
      templateVariables: seed.templateVariables ?? {},
    };
    this.queues.set(`${entity}/${name}`, queue);
    return queue;
  }

  queue(entity: string, name: string): StoredQueue | undefined {
    return this.queues.get(`${entity}/${name}`);
  }

  hasEntity(entity: string): boolean {
    return [...this.queues.values()].some((q) => q.entity === entity);
  }

  configById(entity: string, id: string): StoredQueue | undefined {
    return [...this.queues.values()].find((q) => q.entity === entity && q.configId === id);
  }

  /** Adds an item at the end of the queue; returns its id (base64 of `RunQueueItem:N`). */
  enqueue(path: string, seed: ItemSeed): string {
    const [entity, name] = path.split('/');
    const queue = this.queue(entity, name);
    if (!queue) throw new Error(`no queue ${path}`);
    const id = encode(`RunQueueItem:${++this.counter}`);
    this.items.push({ id, queue, seed, state: 'PENDING' });
    return id;
  }

  item(id: string): StoredItem | undefined {
    this.expireClaims();
    return this.items.find((i) => i.id === id);
  }

  itemsOf(entity: string, name: string): StoredItem[] {
    this.expireClaims();
    return this.items.filter((i) => i.queue.entity === entity && i.queue.name === name);
  }

  /** The oldest pending item, claimed for a lease, with the runSpec an agent receives. */
  pop(entity: string, name: string): { runQueueItemId: string; runSpec: string } | null {
    this.expireClaims();
    const item = this.items.find(
      (i) => i.queue.entity === entity && i.queue.name === name && i.state === 'PENDING',
    );
    if (!item) return null;
    item.state = 'CLAIMED';
    item.claimedUntil = this.now() + this.leaseMs;
    return { runQueueItemId: item.id, runSpec: JSON.stringify(mergedRunSpec(item)) };
  }

  ack(id: string, runName: string): boolean {
    const item = this.item(id);
    if (!item || item.state !== 'CLAIMED') return false;
    if (item.ackTakenElsewhere) {
      item.ackTakenElsewhere = false;
      item.state = 'LEASED';
      item.associatedRunId = 'elsewhere';
      return false;
    }
    item.state = 'LEASED';
    item.associatedRunId = runName;
    return true;
  }

  fail(id: string, failure: NonNullable<StoredItem['failure']>): boolean {
    const item = this.item(id);
    if (!item || item.state === 'FAILED') return false;
    item.state = 'FAILED';
    item.failure = failure;
    return true;
  }

  clear(): void {
    this.queues.clear();
    this.items.length = 0;
  }

  private expireClaims(): void {
    const now = this.now();
    for (const item of this.items) {
      if (item.state === 'CLAIMED' && (item.claimedUntil ?? 0) <= now) {
        item.state = 'PENDING';
        item.claimedUntil = undefined;
      }
    }
  }
}

/**
 * What W&B hands an agent: the pushed spec with the queue's config, its template variables
 * filled, merged under `resource_args.<the queue's resource>` (the spec's own args win).
 */
function mergedRunSpec(item: StoredItem): Record<string, unknown> {
  const { queue, seed } = item;
  const values: Record<string, unknown> = {};
  for (const [name, variable] of Object.entries(queue.templateVariables)) {
    const given = seed.templateVariableValues?.[name];
    values[name] = given !== undefined ? given : variable.schema.default;
  }
  const own = (seed.runSpec.resource_args as Record<string, unknown> | undefined) ?? {};
  return {
    ...seed.runSpec,
    resource: (seed.runSpec.resource as string | undefined) ?? queue.resource,
    resource_args: {
      ...own,
      [queue.resource]: deepMerge(renderTemplate(queue.config, values), own[queue.resource]),
    },
  };
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  const isMap = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isMap(base) || !isMap(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}
