// CustomJob messages, as the client decodes them, to the action's JobSnapshot.

import {
  isJobState,
  jobIdOf,
  jobStateFromNumber,
  type JobSnapshot,
  type JobState,
} from '../core/job.ts';

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
  if (job.webAccessUris && Object.keys(job.webAccessUris).length > 0) {
    snapshot.webAccessUris = { ...job.webAccessUris };
  }
  return snapshot;
}

/** A placeholder for a job whose state could not be read yet. */
export function unknownSnapshot(name: string): JobSnapshot {
  return { name, id: jobIdOf(name), displayName: '', state: 'JOB_STATE_UNSPECIFIED', labels: {} };
}
