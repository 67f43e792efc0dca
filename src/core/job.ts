// A Vertex AI CustomJob as the rest of the action sees it: a plain snapshot with the state by
// name and timestamps as ISO strings, independent of the client library's message types.
import type { JsonObject } from './request.ts';

/** Every google.cloud.aiplatform.v1.JobState value, by name. */
export const JOB_STATES = [
  'JOB_STATE_UNSPECIFIED',
  'JOB_STATE_QUEUED',
  'JOB_STATE_PENDING',
  'JOB_STATE_RUNNING',
  'JOB_STATE_SUCCEEDED',
  'JOB_STATE_FAILED',
  'JOB_STATE_CANCELLING',
  'JOB_STATE_CANCELLED',
  'JOB_STATE_PAUSED',
  'JOB_STATE_EXPIRED',
  'JOB_STATE_UPDATING',
  'JOB_STATE_PARTIALLY_SUCCEEDED',
] as const;

export type JobState = (typeof JOB_STATES)[number];

/** The proto enum numbers, in the order job_state.proto declares them (index = number). */
export function jobStateFromNumber(n: number): JobState {
  return JOB_STATES[n] ?? 'JOB_STATE_UNSPECIFIED';
}

export function isJobState(s: unknown): s is JobState {
  return typeof s === 'string' && (JOB_STATES as readonly string[]).includes(s);
}

export interface JobError {
  /** google.rpc.Code number. */
  code: number;
  message: string;
}

export interface JobSnapshot {
  /** `projects/{project}/locations/{location}/customJobs/{id}` */
  name: string;
  id: string;
  displayName: string;
  state: JobState;
  error?: JobError;
  createTime?: string;
  startTime?: string;
  endTime?: string;
  updateTime?: string;
  labels: Record<string, string>;
  /** Interactive shell URIs by worker (`workerpool0-0`), when web access is enabled. */
  webAccessUris?: Record<string, string>;
  /** The job's spec (worker pools, images, environment), for reports on a job found again. */
  jobSpec?: JsonObject;
  /** The W&B run's place, from the containers' WANDB_* environment (nothing secret). */
  wandb?: { entity?: string; project?: string; baseUrl?: string };
}

export type Conclusion = 'success' | 'failure' | 'cancelled' | 'timed_out';

const TERMINAL: ReadonlySet<JobState> = new Set<JobState>([
  'JOB_STATE_SUCCEEDED',
  'JOB_STATE_FAILED',
  'JOB_STATE_CANCELLED',
  'JOB_STATE_EXPIRED',
  'JOB_STATE_PARTIALLY_SUCCEEDED',
]);

/** A terminal state never changes again. CANCELLING, PAUSED and UPDATING are not terminal. */
export function isTerminal(state: JobState): boolean {
  return TERMINAL.has(state);
}

/**
 * How a job ended, in GitHub check-run terms. A state that is not terminal means the
 * action stopped following before the job ended, which is reported as `timed_out` too.
 */
export function conclusionOf(state: JobState): Conclusion {
  switch (state) {
    case 'JOB_STATE_SUCCEEDED':
      return 'success';
    case 'JOB_STATE_FAILED':
    case 'JOB_STATE_PARTIALLY_SUCCEEDED':
      return 'failure';
    case 'JOB_STATE_CANCELLED':
    case 'JOB_STATE_CANCELLING':
      return 'cancelled';
    default:
      return 'timed_out';
  }
}

const JOB_NAME = /^projects\/([^/]+)\/locations\/([^/]+)\/customJobs\/([^/]+)$/;

/** The numeric id at the end of a CustomJob resource name (the last segment for other forms). */
export function jobIdOf(name: string): string {
  const parsed = parseJobName(name);
  if (parsed) return parsed.id;
  const slash = name.lastIndexOf('/');
  return slash >= 0 ? name.slice(slash + 1) : name;
}

/**
 * Project, location and id of a CustomJob resource name, or undefined when it is not one: the
 * one parser of job names. `numericId` takes only the ids Vertex gives (a name typed by a user).
 */
export function parseJobName(
  name: string,
  opts: { numericId?: boolean } = {},
): { project: string; location: string; id: string } | undefined {
  const m = JOB_NAME.exec(name);
  if (!m || (opts.numericId && !/^\d+$/.test(m[3]))) return undefined;
  return { project: m[1], location: m[2], id: m[3] };
}

export function consoleUrl(region: string, id: string, project: string): string {
  return (
    `https://console.cloud.google.com/vertex-ai/locations/${encodeURIComponent(region)}` +
    `/training/${encodeURIComponent(id)}?project=${encodeURIComponent(project)}`
  );
}

/** `RUNNING` for `JOB_STATE_RUNNING`: the short form used in logs and reports. */
export function shortState(state: JobState): string {
  return state.replace(/^JOB_STATE_/, '');
}
