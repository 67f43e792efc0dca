// The run an ended job's metrics are compared with, per `wandb-baseline`: a named run, or the
// newest succeeded launch from the pull request's base branch.
import type { JobSnapshot } from '../core/job.ts';
import { parseJobName } from '../core/job.ts';
import { errorMessage } from '../core/errors.ts';
import { LABEL, repositoryLabelValue } from '../core/launch-identity.ts';
import type { RunRef } from '../core/report/metrics-model.ts';
import {
  baselineJobFilter,
  newestBaselineJob,
  runPathText,
  type RunPath,
} from '../core/results/baseline.ts';
import type { Summary } from '../core/results/summary-json.ts';
import { readRun } from './index.ts';
import { PREFIX, refOf, type ResultsContext, type RunPlace } from './run-place.ts';

export interface Baseline {
  ref?: RunRef & { label: string };
  summary?: Summary;
  /** Where the baseline run is, for its history. */
  path?: RunPath;
  note?: string;
}

async function baselineRun(
  place: RunPlace,
  path: RunPath,
  label: string,
  missing: string,
): Promise<Baseline> {
  const run = await readRun(place.client, path);
  if (!run) return { note: missing };
  return { ref: { ...refOf(place, path, run.state), label }, summary: run.summary, path };
}

/** The newest succeeded launch from `branch`'s run. */
async function baseBranchRun(
  job: JobSnapshot,
  place: RunPlace,
  ctx: ResultsContext,
  branch: string,
): Promise<Baseline> {
  const where = parseJobName(job.name);
  const repository =
    job.labels[LABEL.repository] ??
    (ctx.repository ? repositoryLabelValue(ctx.repository) : undefined);
  if (!where || !repository) return { note: 'No baseline: the repository is not known.' };
  const listed = await ctx.listBaselineJobs(
    `projects/${where.project}/locations/${where.location}`,
    baselineJobFilter(repository, branch),
  );
  const base = newestBaselineJob(listed, repository, branch, job.name);
  if (!base) return { note: `No baseline: no succeeded launch from ${branch} yet.` };
  const path: RunPath = {
    entity: base.wandb?.entity ?? place.path.entity,
    project: base.wandb?.project ?? place.path.project,
    runId: base.labels[LABEL.wandbRunId],
  };
  return baselineRun(
    place,
    path,
    branch,
    `No baseline: W&B has no run ${runPathText(path)} (of job ${base.id}, the newest succeeded launch from ${branch}).`,
  );
}

/** The run to compare with, per `wandb-baseline`. */
async function findBaseline(
  job: JobSnapshot,
  place: RunPlace,
  ctx: ResultsContext,
): Promise<Baseline> {
  const setting = ctx.settings.baseline ?? { kind: 'base-branch' };
  if (setting.kind === 'none') return {};
  if (setting.kind === 'run') {
    const path = setting.path;
    return baselineRun(
      place,
      path,
      'the wandb-baseline input',
      `No baseline: W&B has no run ${runPathText(path)} (the wandb-baseline input).`,
    );
  }
  const branch = job.labels[LABEL.baseRef] ?? ctx.eventBaseBranch;
  if (!branch) {
    // base-branch is for pull requests: a push or a schedule has nothing to compare with.
    return job.labels[LABEL.pr]
      ? { note: "No baseline: the pull request's base branch is not known." }
      : {};
  }
  return baseBranchRun(job, place, ctx, branch);
}

/** A baseline that cannot be read is a warning; the table goes out without it. */
export async function baselineOrNote(
  job: JobSnapshot,
  place: RunPlace,
  ctx: ResultsContext,
): Promise<Baseline> {
  try {
    return await findBaseline(job, place, ctx);
  } catch (err) {
    ctx.log.warning(`${PREFIX}: the baseline could not be read: ${errorMessage(err)}`);
    return { note: 'No baseline: it could not be read (see the warning in the step log).' };
  }
}
