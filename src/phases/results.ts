// The W&B results of a step's ended jobs (src/wandb/results.ts), with the step's inputs, the
// event's base branch and the baseline's jobs listed through the step's Vertex connection.
import type { LaunchContext } from '../context.ts';
import { summaryOutput } from '../core/results/summary-json.ts';
import { baseBranchOf, readEventPayload } from '../github/run-info.ts';
import { actionLog, setOutput } from '../github/runtime.ts';
import { scaledSleep } from '../retry/index.ts';
import { listCustomJobs, type VertexConnection } from '../vertex/index.ts';
import type { ListBaselineJobs, ResultsContext } from '../wandb/results.ts';

export { jobResults, type ResultsContext } from '../wandb/results.ts';

/** The jobs a baseline is looked for among, listed in the `report` phase. */
export function baselineJobLister(vertex: VertexConnection): ListBaselineJobs {
  return async (parent, filter) => (await listCustomJobs(vertex, parent, filter, 'report')).jobs;
}

/**
 * The results context of a step: its inputs, the event's base branch, and (unless reconciling
 * several jobs) the `wandb-summary` output. Waits follow WB_VERTEX_LAUNCH_TIME_SCALE.
 */
export function stepResultsContext(
  ctx: LaunchContext,
  vertex: VertexConnection,
  opts: { publish: boolean; env?: NodeJS.ProcessEnv },
): ResultsContext {
  const env = opts.env ?? process.env;
  return {
    settings: ctx.wandb,
    listBaselineJobs: baselineJobLister(vertex),
    log: actionLog,
    eventBaseBranch: baseBranchOf(readEventPayload(env.GITHUB_EVENT_PATH)),
    repository: env.GITHUB_REPOSITORY || undefined,
    sleep: scaledSleep(env),
    ...(opts.publish
      ? { onSummary: (summary) => setOutput('wandb-summary', summaryOutput(summary)) }
      : {}),
  };
}
