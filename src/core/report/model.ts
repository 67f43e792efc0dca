// The report model: what the GitHub reporting channels (check run, job summary, PR comment)
// know about one launch, and the pure helpers that fill it from the compiled request.

import type { AttemptRecord } from '../attempts.ts';
import { consoleUrl } from '../job.ts';
import type { CreateCustomJobRequestJson, JsonObject, JsonValue } from '../request.ts';
import type { MetricsReport } from './metrics-model.ts';

export interface PoolSummary {
  machineType?: string;
  acceleratorType?: string;
  acceleratorCount?: number;
  replicaCount?: number;
  image?: string;
  /** A `{}` pool in the request: Vertex keeps the slot but runs nothing in it. */
  placeholder?: boolean;
}

export type Outcome = 'success' | 'failure' | 'cancelled' | 'timed_out' | 'neutral';

/** The last lines a failed job's failing replica wrote (Cloud Logging), for the report. */
export interface LogExcerpt {
  /** The replica, e.g. `workerpool0-0`. */
  replica: string;
  /** Its last lines, oldest first (at most 30), secrets redacted. */
  lines: string[];
  /** The line naming the error: a traceback's exception line, else an ERROR line. */
  errorLine?: string;
  /** The replica wrote more than `lines` shows. */
  earlierLinesOmitted?: boolean;
}

export interface LaunchReport {
  /** Display name of the job. */
  title: string;
  project: string;
  region: string;
  /** Full resource name `projects/P/locations/R/customJobs/ID`. */
  jobName?: string;
  jobId?: string;
  /** A `JOB_STATE_*` name. */
  state?: string;
  error?: { code?: number; message: string };
  /** RFC3339 timestamps. */
  createTime?: string;
  startTime?: string;
  endTime?: string;
  pools: PoolSummary[];
  imageUri?: string;
  imageDigest?: string;
  links: { console?: string; logging?: string; wandb?: string };
  /** The resolved request as JSON text, secrets already redacted. */
  requestJson?: string;
  dryRun: boolean;
  /** The wait-timeout ran out while the job was still running. */
  waitTimedOut?: boolean;
  /** The step is still following the job. */
  waiting?: boolean;
  /** Overrides the conclusion derived from the state. */
  outcome?: Outcome;
  /** A failed job's last log lines. */
  logExcerpt?: LogExcerpt;
  /** The W&B run's summary metrics against the baseline's, once read (src/phases/results.ts). */
  metrics?: MetricsReport;
  /** Every region the launch tried, in order; the last is the live one (report/attempts.ts). */
  attempts?: AttemptRecord[];
  /** A FLEX_START job: it may wait this long for capacity (0: no limit). */
  capacityWait?: { maxWaitSeconds: number };
}

function asObject(v: JsonValue | undefined): JsonObject | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

function asString(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

// proto3 JSON writes int32 as numbers and int64 as strings: accept both.
function asCount(v: JsonValue | undefined): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** One summary per worker pool of the request, in order; `{}` pools come back as placeholders. */
export function poolsOf(request: CreateCustomJobRequestJson): PoolSummary[] {
  const jobSpec = asObject(request.customJob?.jobSpec);
  const specs = jobSpec?.workerPoolSpecs;
  if (!Array.isArray(specs)) return [];
  return specs.map((raw) => {
    const pool = asObject(raw) ?? {};
    if (Object.keys(pool).length === 0) return { placeholder: true };
    const machine = asObject(pool.machineSpec) ?? {};
    const container = asObject(pool.containerSpec);
    const pythonPackage = asObject(pool.pythonPackageSpec);
    const summary: PoolSummary = {
      machineType: asString(machine.machineType),
      acceleratorType: asString(machine.acceleratorType),
      acceleratorCount: asCount(machine.acceleratorCount),
      replicaCount: asCount(pool.replicaCount),
      image: asString(container?.imageUri) ?? asString(pythonPackage?.executorImageUri),
    };
    // Drop the keys that are not set, so summaries compare and print cleanly.
    return Object.fromEntries(
      Object.entries(summary).filter(([, v]) => v !== undefined),
    ) as PoolSummary;
  });
}

/** Cloud console page of a custom job (the `job-url` output). */
export function jobConsoleUrl(project: string, region: string, jobId: string): string {
  return consoleUrl(region, jobId, project);
}

/**
 * Cloud Logging explorer filtered on the job's logs. The `ml_job` resource has no location
 * label (its labels are project_id, job_id and task_name), so the region does not narrow it.
 */
export function loggingUrl(project: string, _region: string, jobId: string): string {
  const query = `resource.type="ml_job"\nresource.labels.job_id="${jobId.replace(/["\\]/g, '\\$&')}"`;
  return (
    `https://console.cloud.google.com/logs/query;query=${encodeURIComponent(query)}` +
    `?project=${encodeURIComponent(project)}`
  );
}
