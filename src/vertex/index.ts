// The Vertex AI adapter: connect, submit exactly once, follow, read, cancel, find by label.

import type { JobSnapshot } from '../core/job.ts';
import { cancelOnce, getOnce, listOnce, listPageOnce, withReadRetries } from './calls.ts';
import type { Phase } from '../core/errors.ts';
import type { VertexConnection } from './connection.ts';
import { rpcFailure } from '../grpc/status.ts';

export {
  connectVertex,
  TIME_SCALE_ENV,
  type ConnectOptions,
  type VertexConnection,
} from './connection.ts';
export { defaultVertexHost, resolveVertexEndpoint, type VertexEndpoint } from './endpoint.ts';
export { submitCustomJob, type SubmitOptions, type SubmitResult } from './submit.ts';
export { CapacityError } from './status.ts';
export { followCustomJob, type FollowOptions, type FollowResult } from './follow.ts';

const FAILED_PRECONDITION = 9;

export function getCustomJob(conn: VertexConnection, name: string): Promise<JobSnapshot> {
  return withReadRetries(conn, 'wait', 'GetCustomJob', () => getOnce(conn, name));
}

/**
 * Asks Vertex to cancel the job and returns its state afterwards (usually CANCELLING).
 * A job that already ended is not an error: its final state is returned.
 */
export async function cancelCustomJob(conn: VertexConnection, name: string): Promise<JobSnapshot> {
  // Cancel is idempotent on the service side, so retrying a transient failure is safe.
  await withReadRetries(conn, 'cancel', 'CancelCustomJob', async () => {
    try {
      await cancelOnce(conn, name);
    } catch (e) {
      // FAILED_PRECONDITION: the job already ended; its state below says how.
      if (rpcFailure(e).code !== FAILED_PRECONDITION) throw e;
    }
  });
  return withReadRetries(conn, 'cancel', 'GetCustomJob', () => getOnce(conn, name));
}

/** Jobs under `parent` (`projects/P/locations/L`) carrying the label, oldest first. */
export function listJobsByLabel(
  conn: VertexConnection,
  parent: string,
  label: { key: string; value: string },
): Promise<JobSnapshot[]> {
  return withReadRetries(conn, 'submit', 'ListCustomJobs', () => listOnce(conn, parent, label));
}

/** Every job under `parent` matching `filter`, page by page (100 a page); `pages` counts the calls. */
export async function listCustomJobs(
  conn: VertexConnection,
  parent: string,
  filter: string,
  phase: Phase,
): Promise<{ jobs: JobSnapshot[]; pages: number }> {
  const jobs: JobSnapshot[] = [];
  let token = '';
  let pages = 0;
  do {
    const page = await withReadRetries(conn, phase, 'ListCustomJobs', () =>
      listPageOnce(conn, parent, filter, token),
    );
    pages++;
    jobs.push(...page.jobs);
    token = page.next;
  } while (token);
  return { jobs, pages };
}
