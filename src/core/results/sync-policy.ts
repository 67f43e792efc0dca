// How long to wait for a W&B run that is still syncing when its job has ended: the process
// may have exited before its last upload finished, or W&B may not show the run yet. Bounded,
// and only right after the job's end: later, waiting changes nothing.

/** Pauses before the 2nd, 3rd and 4th read (35 s in all, at real pace). */
export const SYNC_RETRY_DELAYS_MS = [5_000, 10_000, 20_000];
/** A job that ended longer ago than this has had its run synced, or never will. */
export const SYNC_GRACE_MS = 10 * 60_000;

/** W&B run states that may still change: the run's process has not reported its end. */
export function isSyncing(state: string | undefined): boolean {
  return state === 'running' || state === 'pending';
}

export function syncRetryDelays(endTime: string | undefined, now: Date): number[] {
  const ended = Date.parse(endTime ?? '');
  if (!Number.isNaN(ended) && now.getTime() - ended > SYNC_GRACE_MS) return [];
  return SYNC_RETRY_DELAYS_MS;
}
