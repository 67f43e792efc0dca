// Who launched a job. Labels on the job find it again from a later step, another workflow or
// a reconcile; the leg (one matrix combination of one step) names its check run and its entry
// in the PR comment. Pure: the random part of the launch id comes in as an argument.
import { createHash } from 'node:crypto';
import type { JobSnapshot } from './job.ts';
import { toLabelValue } from './labels.ts';
import type { GitHubRunInfo } from './queue-config/template-values.ts';

export const MANAGED_BY = 'wb-vertex-launch';

/** The label keys the action sets on every job it launches. */
export const LABEL = {
  managedBy: 'managed-by',
  repository: 'github-repository',
  runId: 'github-run-id',
  runAttempt: 'github-run-attempt',
  sha: 'github-sha',
  /** The commit the check run is on: the PR head for pull requests, else github-sha. */
  headSha: 'github-head-sha',
  ref: 'github-ref',
  pr: 'github-pr',
  /** The branch a pull request merges into: where its W&B baseline comes from. */
  baseRef: 'github-base-ref',
  wandbRunId: 'wandb-run-id',
  /** Unique to one execution of the step: the key for "did my Create go through?". */
  launchId: 'wb-vertex-launch-id',
  /** `detached`, or the seconds the launching step followed the job for (wait-timeout). */
  wait: 'wb-vertex-launch-wait',
  /** The id of the job's check run, opened before the submit: reconcile completes it directly. */
  checkRun: 'github-check-run',
  /** A W&B Launch queue item's queue (`ENTITY_QUEUE`) and item (N of `RunQueueItem:N`). */
  wandbQueue: 'wandb-queue',
  runQueueItem: 'wandb-run-queue-item',
} as const;

/**
 * Provenance labels are the action's alone: reconcile, attach, the post step and the baseline
 * lookup trust them to say who launched a job, so no config or input may set one.
 */
export const RESERVED_LABELS =
  'managed-by, github-*, wb-vertex-launch-*, wandb-run-id, wandb-run-queue-item';

export function isReservedLabel(key: string): boolean {
  return (
    key === LABEL.managedBy ||
    key === LABEL.wandbRunId ||
    key === 'wandb-run-queue-item' ||
    key.startsWith('github-') ||
    key.startsWith('wb-vertex-launch-')
  );
}

/** Why a reserved label key is refused, for a problem located at its key. */
export function reservedLabelMessage(key: string): string {
  return `label key "${key}" is reserved: the action sets its provenance labels (${RESERVED_LABELS}) itself; choose another key`;
}

export function repositoryLabelValue(repository: string): string {
  return toLabelValue(repository.replace('/', '_'));
}

/** A branch name as a label value: `feature/Fast-IO` -> `feature-fast-io`. */
export function refLabelValue(branch: string): string {
  return toLabelValue(branch);
}

/** One value per execution of the step: run, attempt, and a random part for legs and reuses. */
export function launchIdValue(github: GitHubRunInfo, random: string): string {
  return toLabelValue(`${github.runId ?? 'local'}-${github.runAttempt ?? '1'}-${random}`);
}

/** The provenance labels of a job (those the run knows; nothing is invented). */
export function launchLabels(
  github: GitHubRunInfo,
  wandbRunId: string,
  launchId?: string,
): Record<string, string> {
  const labels: Record<string, string> = {
    [LABEL.managedBy]: MANAGED_BY,
    [LABEL.wandbRunId]: wandbRunId,
  };
  const set = (key: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') labels[key] = toLabelValue(String(value));
  };
  if (github.repository) labels[LABEL.repository] = repositoryLabelValue(github.repository);
  set(LABEL.runId, github.runId);
  if (github.runId) set(LABEL.runAttempt, github.runAttempt ?? '1');
  set(LABEL.sha, github.sha);
  set(LABEL.headSha, github.headSha ?? github.sha);
  if (github.branch) labels[LABEL.ref] = refLabelValue(github.branch);
  set(LABEL.pr, github.pr);
  if (github.pr !== undefined && github.baseBranch)
    labels[LABEL.baseRef] = refLabelValue(github.baseBranch);
  set(LABEL.launchId, launchId);
  return labels;
}

/** How long the launching step follows the job: recorded so a reconcile knows what it left open. */
export function waitLabel(wait: boolean, timeoutSeconds: number): Record<string, string> {
  return { [LABEL.wait]: wait ? String(Math.round(timeoutSeconds)) : 'detached' };
}

export interface Leg {
  /** Stable across attempts and runs of the same step and matrix combination. */
  key: string;
  /** The matrix values as GitHub shows them in job names (`0.01, resnet`); none outside a matrix. */
  label?: string;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : canonical(value);
}

/**
 * The leg from the `matrix` input (`${{ toJSON(matrix) }}` by default: `null` or `{}` outside
 * a matrix) and the step (GITHUB_ACTION, which tells two uses in one job apart). A value that
 * is not JSON is taken as the leg's name as written.
 */
export function legOf(matrix: string | undefined, step: string | undefined): Leg {
  const text = (matrix ?? '').trim();
  let value: unknown = text === '' ? null : text;
  try {
    value = text === '' ? null : JSON.parse(text);
  } catch {
    // A plain name such as `lr-0.01`.
  }
  const isEmpty =
    value === null ||
    value === '' ||
    (typeof value === 'object' && Object.keys(value as object).length === 0);
  const label = isEmpty
    ? undefined
    : typeof value === 'object' && !Array.isArray(value)
      ? Object.values(value as Record<string, unknown>)
          .map(shown)
          .join(', ')
      : shown(value);
  const key = createHash('sha256')
    .update(`${step ?? ''}\n${isEmpty ? '' : canonical(value)}`)
    .digest('hex')
    .slice(0, 16);
  return { key, label };
}

/** What a job's labels say about its launch; undefined for a job the action did not launch. */
export interface JobOrigin {
  repository?: string;
  runId?: string;
  runAttempt?: string;
  headSha?: string;
  pr?: number;
  /** undefined when the label is missing (older launches): treated as possibly left open. */
  waitSeconds?: number | 'detached';
  wandbRunId?: string;
  checkRunId?: number;
}

export function originOf(labels: Record<string, string>): JobOrigin | undefined {
  if (labels[LABEL.managedBy] !== MANAGED_BY) return undefined;
  const wait = labels[LABEL.wait];
  const pr = Number(labels[LABEL.pr]);
  const checkRun = Number(labels[LABEL.checkRun]);
  return {
    repository: labels[LABEL.repository],
    runId: labels[LABEL.runId],
    runAttempt: labels[LABEL.runAttempt],
    headSha: labels[LABEL.headSha] ?? labels[LABEL.sha],
    pr: Number.isInteger(pr) && pr > 0 ? pr : undefined,
    waitSeconds:
      wait === 'detached' ? 'detached' : /^\d+$/.test(wait ?? '') ? Number(wait) : undefined,
    wandbRunId: labels[LABEL.wandbRunId],
    checkRunId: Number.isInteger(checkRun) && checkRun > 0 ? checkRun : undefined,
  };
}

/** Slack for the launching step's own start-up and polling before and after the wait. */
const FOLLOW_SLACK_MS = 60_000;

/**
 * Whether the launching step may have stopped following before the job ended, leaving its
 * check run open: it was detached, or the job ran longer than the step waited.
 */
export function mayBeLeftOpen(job: JobSnapshot, origin: JobOrigin): boolean {
  if (origin.waitSeconds === undefined || origin.waitSeconds === 'detached') return true;
  const created = Date.parse(job.createTime ?? '');
  const ended = Date.parse(job.endTime ?? '');
  if (Number.isNaN(created) || Number.isNaN(ended)) return true;
  return ended - created >= origin.waitSeconds * 1000 - FOLLOW_SLACK_MS;
}
