// A W&B Launch queue's stored config as the action's queue config. W&B stores it as
// `{"resource_args": {"gcp-vertex": {spec, run}}}` (the alias `vertex` may hold the args too);
// a queue of another resource has nothing to launch on Vertex. The `{{NAME}}` template
// variables are filled here (template-variables.ts); `${...}` macros are left to the compiler,
// as W&B Launch's agent fills them. Problems name the queue where a file name would be.
import type { QueueConfigSource } from '../queue-config/source.ts';
import type { Problem } from '../errors.ts';
import { isPlainObject } from '../queue-config/convert.ts';
import {
  fillTemplateVariables,
  parseTemplateVariables,
  templateValues,
  type TemplateValue,
} from './template-variables.ts';

export interface QueueName {
  entity: string;
  name: string;
}

/** How a queue is named where a file name would be: `wandb queue my-team/vertex-queue`. */
export function queueOrigin(queue: QueueName): string {
  return `wandb queue ${queue.entity}/${queue.name}`;
}

export const VERTEX_RESOURCES = ['gcp-vertex', 'vertex'] as const;

export function isVertexResource(resource: unknown): boolean {
  return (VERTEX_RESOURCES as readonly unknown[]).includes(resource);
}

/** A JSONString value: JSON text, or already an object on servers that decode it. */
export function jsonValue(value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof value !== 'string') return { ok: true, value };
  try {
    return { ok: true, value: JSON.parse(value) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * The Vertex args (`{spec, run}`) under a `resource_args` mapping: `gcp-vertex`, else `vertex`.
 * Their `builder` settings are the agent's, not the runner's (the SDK takes them out too).
 */
export function vertexResourceArgs(resourceArgs: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(resourceArgs)) return undefined;
  for (const key of VERTEX_RESOURCES) {
    const args = resourceArgs[key];
    if (isPlainObject(args)) {
      return Object.fromEntries(Object.entries(args).filter(([k]) => k !== 'builder'));
    }
  }
  return undefined;
}

export interface StoredQueue {
  resource?: string;
  config: unknown;
  templateVariables: { name: string; schema: unknown }[];
}

export type QueueConfigResult =
  | { ok: true; source: QueueConfigSource; values: Record<string, TemplateValue> }
  | { ok: false; phase: 'inputs' | 'queue-config'; problems: Problem[] };

/**
 * The queue's config as a queue-config source with its template variables filled from
 * `given` (`template-variables`). Bad values come back as `inputs` problems, before any
 * config problem is looked at.
 */
export function queueConfigSource(
  queue: QueueName,
  stored: StoredQueue,
  given: Record<string, string>,
): QueueConfigResult {
  const file = queueOrigin(queue);
  const fail = (phase: 'inputs' | 'queue-config', problems: Problem[]): QueueConfigResult => ({
    ok: false,
    phase,
    problems,
  });
  if (stored.resource !== undefined && !isVertexResource(stored.resource)) {
    return fail('queue-config', [
      {
        file,
        message: `its resource is ${stored.resource}, not gcp-vertex: wb-vertex-launch launches Vertex AI queues only (create a queue with the Vertex resource in the W&B App)`,
      },
    ]);
  }
  const parsed = jsonValue(stored.config);
  const args = parsed.ok
    ? vertexResourceArgs(isPlainObject(parsed.value) ? parsed.value.resource_args : undefined)
    : undefined;
  if (!args) {
    const why = parsed.ok ? 'has no resource_args.gcp-vertex' : 'is not JSON';
    return fail('queue-config', [{ file, message: `the stored config ${why}: nothing to launch` }]);
  }
  const variables = parseTemplateVariables(stored.templateVariables, file);
  if (variables.problems.length > 0) return fail('queue-config', variables.problems);
  const checked = templateValues(variables.variables, given, file);
  if (checked.problems.length > 0) return fail('inputs', checked.problems);
  const filled = fillTemplateVariables(args, checked.values);
  if (filled.unknown.length > 0) {
    return fail(
      'queue-config',
      filled.unknown.map(({ path, name }) => ({
        file,
        path,
        message: `{{${name}}} is not one of the queue's template variables${variables.variables.length > 0 ? ` (${variables.variables.map((v) => v.name).join(', ')})` : ''}`,
      })),
    );
  }
  return {
    ok: true,
    source: { text: JSON.stringify(filled.value, null, 2), origin: file, unlocated: true },
    values: checked.values,
  };
}
