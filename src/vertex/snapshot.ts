// CustomJob messages, as the client decodes them, to the action's JobSnapshot.

import {
  isJobState,
  jobIdOf,
  jobStateFromNumber,
  type JobSnapshot,
  type JobState,
} from '../core/job.ts';
import type { JsonObject } from '../core/request.ts';

interface Timestamp {
  seconds?: string | number | { toString(): string } | null;
  nanos?: number | null;
}

/** The CustomJob fields the action reads, as decoded (enums by name, int64 as strings). */
export interface CustomJobMessage {
  name?: string | null;
  displayName?: string | null;
  state?: string | number | null;
  error?: { code?: number | null; message?: string | null } | null;
  createTime?: Timestamp | null;
  startTime?: Timestamp | null;
  endTime?: Timestamp | null;
  updateTime?: Timestamp | null;
  labels?: Record<string, string> | null;
  webAccessUris?: Record<string, string> | null;
  /** As the client decodes it: camelCase, enums by name, int64 as strings. */
  jobSpec?: Record<string, unknown> | null;
}

function iso(t: Timestamp | null | undefined): string | undefined {
  if (!t || t.seconds === undefined || t.seconds === null) return undefined;
  const ms = Number(String(t.seconds)) * 1000 + Math.floor((t.nanos ?? 0) / 1_000_000);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : undefined;
}

function stateOf(s: CustomJobMessage['state']): JobState {
  if (typeof s === 'number') return jobStateFromNumber(s);
  return isJobState(s) ? s : 'JOB_STATE_UNSPECIFIED';
}

const WANDB_LINK_ENV = {
  WANDB_ENTITY: 'entity',
  WANDB_PROJECT: 'project',
  WANDB_BASE_URL: 'baseUrl',
};

/**
 * The job spec without its containers' environment, which may hold secrets (the W&B key among
 * them) and must never reach a log or a report; only what the W&B link needs is kept.
 */
function withoutEnvironment(spec: Record<string, unknown>): {
  jobSpec: JsonObject;
  wandb: NonNullable<JobSnapshot['wandb']>;
} {
  const wandb: NonNullable<JobSnapshot['wandb']> = {};
  const pools = Array.isArray(spec.workerPoolSpecs) ? spec.workerPoolSpecs : [];
  const cleaned = pools.map((raw) => {
    const pool = { ...(raw as Record<string, unknown>) };
    for (const task of ['containerSpec', 'pythonPackageSpec']) {
      const value = pool[task] as { env?: { name?: string; value?: string }[] } | undefined;
      if (!value) continue;
      for (const { name, value: v } of value.env ?? []) {
        const key = WANDB_LINK_ENV[name as keyof typeof WANDB_LINK_ENV];
        if (key && v && !wandb[key as keyof typeof wandb]) wandb[key as keyof typeof wandb] = v;
      }
      const rest = { ...value };
      delete rest.env;
      pool[task] = rest;
    }
    return pool;
  });
  return { jobSpec: { ...spec, workerPoolSpecs: cleaned } as JsonObject, wandb };
}

export function toSnapshot(job: CustomJobMessage): JobSnapshot {
  const name = job.name ?? '';
  const snapshot: JobSnapshot = {
    name,
    id: jobIdOf(name),
    displayName: job.displayName ?? '',
    state: stateOf(job.state),
    labels: { ...(job.labels ?? {}) },
  };
  const code = job.error?.code ?? 0;
  const message = job.error?.message ?? '';
  if (code !== 0 || message !== '') snapshot.error = { code, message };
  const times = {
    createTime: iso(job.createTime),
    startTime: iso(job.startTime),
    endTime: iso(job.endTime),
    updateTime: iso(job.updateTime),
  };
  for (const [key, value] of Object.entries(times)) {
    if (value !== undefined) snapshot[key as keyof typeof times] = value;
  }
  if (job.jobSpec) {
    const { jobSpec, wandb } = withoutEnvironment(job.jobSpec);
    snapshot.jobSpec = jobSpec;
    if (Object.keys(wandb).length > 0) snapshot.wandb = wandb;
  }
  if (job.webAccessUris && Object.keys(job.webAccessUris).length > 0) {
    snapshot.webAccessUris = { ...job.webAccessUris };
  }
  return snapshot;
}

/** A placeholder for a job whose state could not be read yet. */
export function unknownSnapshot(name: string): JobSnapshot {
  return { name, id: jobIdOf(name), displayName: '', state: 'JOB_STATE_UNSPECIFIED', labels: {} };
}
