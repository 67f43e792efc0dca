// Shared set-up for the queue-config compiler tests: a fixed clock and run id, a minimal valid
// config to vary, and helpers that fail loudly when a config unexpectedly passes or fails.
import { expect } from '@jest/globals';
import type { Problem } from '../../src/core/errors.ts';
import { formatProblem } from '../../src/core/errors.ts';
import { compileQueueConfig } from '../../src/core/queue-config/compile.ts';
import type {
  CompiledLaunch,
  CompileOptions,
  CompileResult,
} from '../../src/core/queue-config/compile.ts';
import type { JsonObject } from '../../src/core/request.ts';

/** 2024-05-06 07:08:09.012 UTC: the SDK's base output dir stamp is 2024-05-06-07:08:09.012. */
export const NOW = new Date('2024-05-06T07:08:09.012Z');
export const RUN_ID = 'abcd1234';
export const IMAGE =
  'us-central1-docker.pkg.dev/my-project-123/repo/train@sha256:' + 'a'.repeat(64);

export type Config = Record<string, unknown>;

export function pool(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    machine_spec: { machine_type: 'n1-standard-4' },
    replica_count: 1,
    container_spec: { image_uri: '${image_uri}' },
    ...overrides,
  };
}

/** A valid config; `spec`/`run` keys given here replace the defaults (undefined removes one). */
export function config(
  spec: Record<string, unknown> = {},
  run: Record<string, unknown> = {},
): Config {
  const merged: Record<string, unknown> = {
    worker_pool_specs: [pool()],
    staging_bucket: 'gs://my-bucket',
    ...spec,
  };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  return { spec: merged, run };
}

export function options(
  source: Config | string,
  overrides: Partial<CompileOptions> = {},
): CompileOptions {
  const text = typeof source === 'string' ? source : JSON.stringify(source, null, 2);
  return {
    source: { text, origin: 'queue.yaml' },
    project: 'my-project-123',
    region: 'us-central1',
    image: IMAGE,
    imageInput: 'image',
    vars: {},
    env: {},
    labels: {},
    wandb: {},
    wandbRunId: RUN_ID,
    github: {},
    now: NOW,
    ...overrides,
  };
}

export function compile(
  source: Config | string,
  overrides: Partial<CompileOptions> = {},
): CompileResult {
  return compileQueueConfig(options(source, overrides));
}

/** The compiled launch; fails the test with every problem when the config was rejected. */
export function accept(
  source: Config | string,
  overrides: Partial<CompileOptions> = {},
): CompiledLaunch {
  const result = compile(source, overrides);
  if (!result.ok)
    throw new Error(
      `expected the config to pass:\n${result.problems.map(formatProblem).join('\n')}`,
    );
  return result.launch;
}

export function reject(
  source: Config | string,
  overrides: Partial<CompileOptions> = {},
): Problem[] {
  const result = compile(source, overrides);
  if (result.ok)
    throw new Error(
      `expected the config to fail, got:\n${JSON.stringify(result.launch.request, null, 2)}`,
    );
  expect(result.problems.length).toBeGreaterThan(0);
  return result.problems;
}

/** The one problem at `path`; its message contains `fragment`. */
export function problemAt(problems: Problem[], path: string, fragment: string | RegExp): Problem {
  const at = problems.filter((p) => p.path === path);
  if (at.length === 0) {
    throw new Error(`no problem at ${path}; got:\n${problems.map(formatProblem).join('\n')}`);
  }
  const match = at.find((p) =>
    typeof fragment === 'string' ? p.message.includes(fragment) : fragment.test(p.message),
  );
  if (!match)
    throw new Error(
      `problem at ${path} does not mention ${String(fragment)}: ${at.map((p) => p.message).join(' | ')}`,
    );
  return match;
}

export function jobSpec(launch: CompiledLaunch): JsonObject {
  return launch.request.customJob.jobSpec;
}

export function firstPool(launch: CompiledLaunch): JsonObject {
  return (jobSpec(launch).workerPoolSpecs as JsonObject[])[0];
}
