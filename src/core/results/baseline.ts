// What a run's metrics are compared with (the `wandb-baseline` input), and how the base
// branch's run is found: the newest SUCCEEDED job the action launched from that branch of
// this repository, by the launch labels. Pure.
import type { JobSnapshot } from '../job.ts';
import { LABEL, MANAGED_BY, refLabelValue } from '../launch-identity.ts';

export interface RunPath {
  entity: string;
  project: string;
  runId: string;
}

export type BaselineSetting =
  { kind: 'base-branch' } | { kind: 'none' } | { kind: 'run'; path: RunPath };

export function runPathText(path: RunPath): string {
  return `${path.entity}/${path.project}/${path.runId}`;
}

/**
 * `ENTITY/PROJECT/RUN_ID`, also as W&B writes it in run pages (`ENTITY/PROJECT/runs/RUN_ID`,
 * with or without the app's address in front).
 */
export function parseRunPath(text: string): RunPath | undefined {
  const trimmed = text
    .trim()
    .replace(/^https?:\/\/[^/]+\//i, '')
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '');
  const parts = trimmed.split('/');
  if (parts.length === 4 && parts[2] === 'runs') parts.splice(2, 1);
  if (parts.length !== 3 || parts.some((p) => p === '' || /\s/.test(p))) return undefined;
  const [entity, project, runId] = parts;
  return { entity, project, runId };
}

/** The input's value; undefined when it is none of the accepted forms. */
export function parseBaselineSetting(value: string): BaselineSetting | undefined {
  const v = value.trim();
  if (v === '' || v === 'base-branch') return { kind: 'base-branch' };
  if (v === 'none') return { kind: 'none' };
  const path = parseRunPath(v);
  return path ? { kind: 'run', path } : undefined;
}

/** ListCustomJobs filter: this repository's succeeded launches from `branch`. */
export function baselineJobFilter(repositoryLabel: string, branch: string): string {
  return [
    `labels.${LABEL.managedBy}="${MANAGED_BY}"`,
    `labels.${LABEL.repository}="${repositoryLabel}"`,
    `labels.${LABEL.ref}="${refLabelValue(branch)}"`,
    `state="JOB_STATE_SUCCEEDED"`,
  ].join(' AND ');
}

/**
 * The newest of the listed jobs that is a launch from the branch itself: a job with a
 * `github-pr` label ran a pull request whose head branch has that name, and is no baseline.
 * The labels are checked again here, whatever the server's filter did.
 */
export function newestBaselineJob(
  jobs: JobSnapshot[],
  repositoryLabel: string,
  branch: string,
  exclude?: string,
): JobSnapshot | undefined {
  const ref = refLabelValue(branch);
  const eligible = jobs.filter(
    (job) =>
      job.name !== exclude &&
      job.state === 'JOB_STATE_SUCCEEDED' &&
      job.labels[LABEL.managedBy] === MANAGED_BY &&
      job.labels[LABEL.repository] === repositoryLabel &&
      job.labels[LABEL.ref] === ref &&
      job.labels[LABEL.pr] === undefined &&
      Boolean(job.labels[LABEL.wandbRunId]),
  );
  const time = (job: JobSnapshot) => Date.parse(job.createTime ?? '') || 0;
  return eligible.reduce<JobSnapshot | undefined>(
    (best, job) => (best === undefined || time(job) > time(best) ? job : best),
    undefined,
  );
}
