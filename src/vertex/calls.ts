// Single JobService calls with the client library's own retries switched off (this adapter
// decides what is safe to repeat), plus the read retries shared by the exported operations.

import type { CallOptions } from 'google-gax';
import { UserError, type Phase } from '../core/errors.ts';
import type { JobSnapshot } from '../core/job.ts';
import { DEFAULT_POLL_POLICY, retryDelay } from '../core/follow-policy.ts';
import { DEFAULT_JITTER, jittered } from '../core/retry.ts';
import { abortableSleep, retry, type Sleep } from '../retry/index.ts';
import type { VertexConnection } from './connection.ts';
import { toSnapshot, type CustomJobMessage } from './snapshot.ts';
import { isTransientRead, rpcUserError } from './status.ts';

export { abortableSleep, type Sleep };

function callOptions(timeoutMs: number, signal?: AbortSignal): CallOptions {
  // retry: null -> exactly one attempt per call, whatever the client's service config says.
  return { retry: null, timeout: timeoutMs, ...(signal ? { signal } : {}) };
}

export async function createOnce(
  conn: VertexConnection,
  request: Record<string, unknown>,
): Promise<JobSnapshot> {
  const [job] = await conn.client.createCustomJob(request, callOptions(60_000));
  return toSnapshot(job as CustomJobMessage);
}

export async function getOnce(
  conn: VertexConnection,
  name: string,
  signal?: AbortSignal,
): Promise<JobSnapshot> {
  const [job] = await conn.client.getCustomJob({ name }, callOptions(30_000, signal));
  return toSnapshot(job as CustomJobMessage);
}

export async function cancelOnce(conn: VertexConnection, name: string): Promise<void> {
  await conn.client.cancelCustomJob({ name }, callOptions(30_000));
}

/** Every page of jobs under `parent` carrying the label, oldest first. */
export async function listOnce(
  conn: VertexConnection,
  parent: string,
  label: { key: string; value: string },
): Promise<JobSnapshot[]> {
  const filter = `labels.${label.key}="${label.value.replace(/(["\\])/g, '\\$1')}"`;
  const [jobs] = await conn.client.listCustomJobs(
    { parent, filter },
    { ...callOptions(60_000), autoPaginate: true },
  );
  return (jobs as CustomJobMessage[])
    .map(toSnapshot)
    .sort(
      (a, b) =>
        (a.createTime ?? '').localeCompare(b.createTime ?? '') || a.name.localeCompare(b.name),
    );
}

/** One page of jobs under `parent` matching `filter`, and the token of the next page ('' at the end). */
export async function listPageOnce(
  conn: VertexConnection,
  parent: string,
  filter: string,
  pageToken: string,
): Promise<{ jobs: JobSnapshot[]; next: string }> {
  const [jobs, nextRequest] = await conn.client.listCustomJobs(
    { parent, filter, pageSize: 100, ...(pageToken ? { pageToken } : {}) },
    { ...callOptions(60_000), autoPaginate: false },
  );
  return {
    jobs: (jobs as CustomJobMessage[]).map(toSnapshot),
    next: (nextRequest as { pageToken?: string } | null)?.pageToken ?? '',
  };
}

export const READ_ATTEMPTS = 4;

/** The poll policy's error backoff (1 s, 2 s, 4 s), jittered. */
const READ_RETRY_DELAYS = jittered(
  (failures) => retryDelay(failures, DEFAULT_POLL_POLICY),
  DEFAULT_JITTER,
);

/**
 * Runs a read, retrying transient failures a few times with backoff. Non-transient failures
 * and exhausted retries become a UserError in `phase`.
 */
export async function withReadRetries<T>(
  conn: VertexConnection,
  phase: Phase,
  call: string,
  read: () => Promise<T>,
  sleep: Sleep = abortableSleep,
): Promise<T> {
  let attempts = 0;
  try {
    const attempt = (n: number) => {
      attempts = n;
      return read();
    };
    return await retry(attempt, {
      retryable: (e) => !(e instanceof UserError) && isTransientRead(e),
      schedule: READ_RETRY_DELAYS,
      budget: { attempts: READ_ATTEMPTS },
      sleep,
      timeScale: conn.timeScale,
    });
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw rpcUserError(phase, call, e, attempts > 1 ? `(after ${attempts} attempts)` : undefined);
  }
}
