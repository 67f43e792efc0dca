// A W&B Launch queue item's `runSpec` (the launch spec `wandb launch --queue` pushed, with the
// queue's config and template values merged in by W&B) read into what a launch needs, as the
// SDK's LaunchProject reads it: the resource and its args, the job or image, the entry point
// and args, the run config, the run's id, name and place, a sweep, and the key the run should
// use. Nothing here is trusted: every field is checked for its type.
import { createHash } from 'node:crypto';
import { isPlainObject } from '../queue-config/convert.ts';
import { isVertexResource, jsonValue, vertexResourceArgs } from './queue-config.ts';

export interface QueueItem {
  itemId: string;
  /** Label-safe and unique per item: N of `RunQueueItem:N`, else a digest of the id. */
  itemNumber: string;
  resource: string;
  /** The Vertex args (`{spec, run}`); none when the resource is not Vertex. */
  vertexArgs?: Record<string, unknown>;
  /** `ENTITY/PROJECT/NAME:ALIAS` of the W&B job. */
  job?: string;
  /** `docker.docker_image` (or `image_uri`): wins over the job's image, as in the SDK. */
  image?: string;
  entryPoint?: string[];
  args: string[];
  runConfig?: Record<string, unknown>;
  artifacts?: Record<string, unknown>;
  runId?: string;
  name?: string;
  entity?: string;
  project?: string;
  sweepId?: string;
  /** `_wandb_api_key`: the key the run uses instead of the agent's. A secret. */
  apiKey?: string;
}

export type RunSpecResult =
  { ok: true; item: QueueItem } | { ok: false; message: string; apiKey?: string };

const ITEM_ID = /^RunQueueItem:(\d+)$/;

/** N of `RunQueueItem:N` (W&B's item ids are its base64), else a short digest of the id. */
export function itemNumberOf(itemId: string): string {
  const m = ITEM_ID.exec(Buffer.from(itemId, 'base64').toString('utf8'));
  return m ? m[1] : createHash('sha256').update(itemId).digest('hex').slice(0, 16);
}

/** The item id a `wandb-run-queue-item` label value stands for, when it is a number. */
export function itemIdOfNumber(label: string): string | undefined {
  return /^\d+$/.test(label) ? Buffer.from(`RunQueueItem:${label}`).toString('base64') : undefined;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const textList = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;

/** The key first, so it can be masked even when the rest of the spec is unusable. */
export function apiKeyOf(spec: unknown): string | undefined {
  return isPlainObject(spec) ? text(spec._wandb_api_key) : undefined;
}

export function readRunSpec(itemId: string, runSpec: unknown): RunSpecResult {
  const parsed = jsonValue(runSpec);
  const spec = parsed.ok ? parsed.value : undefined;
  const apiKey = apiKeyOf(spec);
  if (!isPlainObject(spec))
    return { ok: false, message: 'its runSpec is not a JSON object', apiKey };
  const overrides = isPlainObject(spec.overrides) ? spec.overrides : {};
  const docker = isPlainObject(spec.docker) ? spec.docker : {};
  const resource = text(spec.resource) ?? 'local-container';
  const entryPoint =
    overrides.entry_point === undefined ? undefined : textList(overrides.entry_point);
  const args = overrides.args === undefined ? [] : textList(overrides.args);
  if (overrides.entry_point !== undefined && overrides.entry_point !== null && !entryPoint)
    return { ok: false, message: 'overrides.entry_point is not a list of strings', apiKey };
  if (!args) return { ok: false, message: 'overrides.args is not a list of strings', apiKey };
  const runId = text(spec.run_id);
  // The run id is the job's wandb-run-id label: it must be a valid label value.
  if (runId !== undefined && !/^[a-z0-9_-]{1,63}$/.test(runId))
    return { ok: false, message: `run_id "${runId.slice(0, 70)}" is not a W&B run id`, apiKey };
  const item: QueueItem = {
    itemId,
    itemNumber: itemNumberOf(itemId),
    resource,
    ...optional(
      'vertexArgs',
      isVertexResource(resource) ? vertexResourceArgs(spec.resource_args) : undefined,
    ),
    ...optional('job', text(spec.job)),
    ...optional('image', text(docker.docker_image) ?? text(spec.image_uri)),
    ...optional('entryPoint', entryPoint && entryPoint.length > 0 ? entryPoint : undefined),
    args,
    ...optional(
      'runConfig',
      isPlainObject(overrides.run_config) ? overrides.run_config : undefined,
    ),
    ...optional('artifacts', isPlainObject(overrides.artifacts) ? overrides.artifacts : undefined),
    ...optional('runId', runId),
    ...optional('name', text(spec.name)),
    ...optional('entity', text(spec.entity)),
    ...optional('project', text(spec.project)),
    ...optional('sweepId', text(spec.sweep_id)),
    ...optional('apiKey', apiKey),
  };
  return { ok: true, item };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
