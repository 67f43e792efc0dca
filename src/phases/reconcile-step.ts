// The action's `reconcile: true` step: the reconcile of phases/reconcile.ts with the step's
// credentials and github-token, and a job summary of what it completed.
import { openVertex } from '../cloud/connect.ts';
import type { LaunchContext } from '../context.ts';
import { UserError } from '../core/errors.ts';
import { renderReconcileSummary } from '../core/report/index.ts';
import { actionLog as log, group, writeJobSummary } from '../github/runtime.ts';
import {
  githubClient,
  githubRunContextFromEnv,
  splitRepository,
  workflowRunUrl,
} from '../reporting/index.ts';
import { lastSuccessfulRunStart } from '../reporting/watermark.ts';
import { authenticate } from './auth.ts';
import { checkEndedQueueItems, scaledSleep } from './queue-item-runs.ts';
import { reconcileRepository } from './reconcile.ts';
import { jobResults, stepResultsContext } from './results.ts';

export async function reconcileStep(ctx: LaunchContext, env: NodeJS.ProcessEnv): Promise<void> {
  const project = ctx.project!; // the input reader requires both for reconcile
  const region = ctx.region;
  const run = githubRunContextFromEnv(env);
  const repository = splitRepository(run);
  if (!repository) {
    throw new UserError('reconcile', `GITHUB_REPOSITORY is "${run.repository}", not owner/repo.`);
  }
  if (!ctx.reporting.githubToken) {
    throw new UserError(
      'reconcile',
      'no github-token: reconcile completes check runs and PR comments, so it needs `github-token: ${{ github.token }}` with `checks: write` and `pull-requests: write`.',
    );
  }
  const credentials = await authenticate(ctx, region, project, false, env);
  const connect = (where: string) => openVertex({ ...ctx, region: where, project }, credentials);
  const vertex = await connect(region);
  // A launch may have moved to one of its fallback regions: those are listed too.
  const fallbacks = await Promise.all(
    ctx.fallbackRegions
      .filter((r) => r !== region)
      .map(async (r) => ({ region: r, vertex: await connect(r) })),
  );
  try {
    const { octokit, guard } = githubClient(ctx.reporting.githubToken, run.apiUrl, log);
    const since = await lastSuccessfulRunStart(
      octokit,
      { ...repository, workflowFile: run.workflowFile, currentRunId: run.runId },
      log,
    );
    const result = await group(`Reconciling ${run.repository}'s Vertex AI jobs`, () =>
      reconcileRepository({
        vertex,
        project,
        region,
        repository: run.repository,
        github: { octokit, guard, ...repository, log, runUrl: workflowRunUrl(run) },
        log,
        since,
        results: (job) => jobResults(job, stepResultsContext(ctx, vertex, { publish: false })),
        fallbacks,
        // W&B queue items whose job ended without their run ever starting fail in W&B.
        ended: (jobs) =>
          checkEndedQueueItems(ctx.wandb, jobs, { log, sleep: scaledSleep(env) }).then(() => {}),
      }),
    );
    if (ctx.reporting.jobSummary) {
      await writeJobSummary(
        renderReconcileSummary(
          result.reconciled.map((r) => ({
            report: r.report,
            pr: r.candidate.origin.pr,
            repositoryUrl: `${run.serverUrl}/${run.repository}`,
          })),
          {
            ...result,
            where: [region, ...fallbacks.map((f) => f.region)]
              .map((r) => `${project}/${r}`)
              .join(', '),
          },
        ),
      );
    }
  } finally {
    await Promise.all([vertex, ...fallbacks.map((f) => f.vertex)].map((v) => v.close()));
  }
}
