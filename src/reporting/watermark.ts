// When the last successful reconcile of this workflow started: every job that had ended by
// then was looked at by it (a reconcile that cannot complete a check run fails its step, so
// it never counts as successful). One call, with `actions: read`; without it, or outside a
// workflow, there is no watermark and reconcile looks at the whole horizon.
import { basename } from 'node:path';
import type { getOctokit } from '@actions/github';
import type { Logger } from '../core/log.ts';
import { errorMessage } from '../core/errors.ts';

export async function lastSuccessfulRunStart(
  octokit: ReturnType<typeof getOctokit>,
  where: { owner: string; repo: string; workflowFile?: string; currentRunId: string },
  log: Logger,
): Promise<Date | undefined> {
  if (!where.workflowFile) return undefined;
  try {
    const { data } = await octokit.rest.actions.listWorkflowRuns({
      owner: where.owner,
      repo: where.repo,
      workflow_id: basename(where.workflowFile),
      status: 'success',
      per_page: 5,
    });
    const previous = data.workflow_runs.find((r) => String(r.id) !== where.currentRunId);
    const started = previous ? Date.parse(previous.run_started_at ?? previous.created_at) : NaN;
    if (Number.isNaN(started)) {
      log.info('No earlier successful reconcile of this workflow: looking at the last 14 days.');
      return undefined;
    }
    log.info(`The last successful reconcile started ${new Date(started).toISOString()}.`);
    return new Date(started);
  } catch (e) {
    log.info(
      `The workflow's earlier runs could not be read (${errorMessage(e).split('\n')[0]}); ` +
        'looking at the last 14 days. `permissions: actions: read` lets reconcile skip what the last run did.',
    );
    return undefined;
  }
}
