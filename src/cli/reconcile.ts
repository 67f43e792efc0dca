// `reconcile --project P --region R`: the action's `reconcile: true` from a terminal or a
// cron job elsewhere, on the same code. The GitHub token comes from GITHUB_TOKEN (never argv),
// the repository from --repository or GITHUB_REPOSITORY. Prints what it did as JSON.
import { parseArgs } from 'node:util';
import { UserError, errorMessage } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { checkEndedQueueItems } from '../phases/queue-item-runs.ts';
import { reconcileRepository } from '../phases/reconcile.ts';
import { githubClient } from '../reporting/index.ts';
import { connectCli } from './jobs.ts';
import type { PlanIo } from './plan.ts';
import { RECONCILE_USAGE } from './usage.ts';
import { commandSafeJson } from '../core/untrusted-text.ts';

export async function runReconcile(argv: string[], io: PlanIo): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        project: { type: 'string' },
        region: { type: 'string' },
        repository: { type: 'string' },
        'vertex-endpoint': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UserError('inputs', `${errorMessage(err)}\n${RECONCILE_USAGE}`);
  }
  const repository = values.repository ?? io.env.GITHUB_REPOSITORY ?? '';
  const [owner, repo, extra] = repository.split('/');
  const missing = [
    !values.project && '--project',
    !values.region && '--region',
    (!owner || !repo || extra !== undefined) && '--repository OWNER/REPO (or GITHUB_REPOSITORY)',
    !io.env.GITHUB_TOKEN && 'GITHUB_TOKEN in the environment',
  ].filter(Boolean);
  if (missing.length > 0)
    throw new UserError('inputs', `reconcile needs ${missing.join(', ')}\n${RECONCILE_USAGE}`);

  const log: Logger = {
    info: (m) => io.stderr(`${m}\n`),
    warning: (m) => io.stderr(`warning: ${m}\n`),
    debug: () => {},
  };
  const vertex = await connectCli(io, values.region!, values.project!, values['vertex-endpoint']);
  try {
    const apiUrl = (io.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
    const { octokit, guard } = githubClient(io.env.GITHUB_TOKEN!, apiUrl, log);
    const result = await reconcileRepository({
      vertex,
      project: values.project!,
      region: values.region!,
      repository,
      github: { octokit, guard, owner, repo, log },
      log,
      // With WANDB_API_KEY, queue items whose job ended without their run starting fail in W&B.
      ended: io.env.WANDB_API_KEY
        ? (jobs) =>
            checkEndedQueueItems(
              { apiKey: io.env.WANDB_API_KEY, baseUrl: io.env.WANDB_BASE_URL || undefined },
              jobs,
              { log },
            ).then(() => {})
        : undefined,
    });
    const summary = {
      listed: result.listed,
      followedToEnd: result.followedToEnd,
      handledBefore: result.handledBefore,
      candidates: result.candidates,
      pages: result.pages,
      reconciled: result.reconciled.map((r) => ({
        job: r.candidate.job.name,
        state: r.candidate.job.state,
        checkRun: r.checkRunId,
        conclusion: r.conclusion,
        pr: r.candidate.origin.pr ?? null,
      })),
    };
    io.stdout(`${commandSafeJson(summary)}\n`);
  } finally {
    await vertex.close();
  }
}
