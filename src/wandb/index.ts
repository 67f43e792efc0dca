// The W&B adapter: read a run (state and summary metrics), a sampled history of some of its
// metrics, and the key's default entity; W&B Launch's queues and items (run-queue.ts).
import type { RunPath } from '../core/results/baseline.ts';
import { parseSummaryMetrics, type Summary } from '../core/results/summary-json.ts';
import {
  DEFAULT_ENTITY_QUERY,
  RUN_QUERY,
  SAMPLED_HISTORY_QUERY,
  type DefaultEntityResponse,
  type RunResponse,
  type SampledHistoryResponse,
} from './queries.ts';
import { WandbError, type WandbClient } from './client.ts';

export { wandbClient, WandbError, type WandbClient, type WandbFailure } from './client.ts';
export {
  ackRunQueueItem,
  failRunQueueItem,
  popRunQueueItem,
  readRunQueueConfig,
  type QueueRef,
  type StoredQueueConfig,
} from './run-queue.ts';
export { JOB_FILE, loadWandbJob, readArtifactFile, type ArtifactVersion } from './job-file.ts';

export interface WandbRun {
  state?: string;
  displayName?: string;
  summary: Summary;
}

function variables(path: RunPath): Record<string, string> {
  return { entity: path.entity, project: path.project, name: path.runId };
}

/** The run, or undefined when W&B has no such run (not yet, or not in that project). */
export async function readRun(client: WandbClient, path: RunPath): Promise<WandbRun | undefined> {
  const data = await client.request<RunResponse>('Run', RUN_QUERY, variables(path));
  const run = data.project?.run;
  if (!run) return undefined;
  const summary = parseSummaryMetrics(run.summaryMetrics);
  if (!summary) {
    throw new WandbError(
      'graphql',
      `Run: the summaryMetrics of ${path.runId} are not a JSON object`,
    );
  }
  return {
    state: run.state ?? undefined,
    displayName: run.displayName ?? undefined,
    summary,
  };
}

/** Up to `samples` rows (`_step` and the key) per key, one list per key, in the keys' order. */
export async function readSampledHistory(
  client: WandbClient,
  path: RunPath,
  keys: string[],
  samples: number,
): Promise<unknown[][]> {
  if (keys.length === 0) return [];
  const specs = keys.map((key) => JSON.stringify({ keys: ['_step', key], samples }));
  const data = await client.request<SampledHistoryResponse>(
    'RunSampledHistory',
    SAMPLED_HISTORY_QUERY,
    {
      ...variables(path),
      specs,
    },
  );
  const lists = data.project?.run?.sampledHistory ?? [];
  return keys.map((_, i) => (Array.isArray(lists[i]) ? lists[i] : []));
}

/** The entity runs go to when none is named: the key owner's default entity. */
export async function defaultEntity(client: WandbClient): Promise<string | undefined> {
  const data = await client.request<DefaultEntityResponse>(
    'GetDefaultEntity',
    DEFAULT_ENTITY_QUERY,
  );
  return data.viewer?.entity ?? undefined;
}
