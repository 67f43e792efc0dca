// Where an ended job's W&B run is, and what reading W&B results needs from the step: the
// inputs, the way to list the baseline's jobs, and the waits.
import type { WandbSettings } from '../context.ts';
import type { JobSnapshot } from '../core/job.ts';
import { LABEL } from '../core/launch-identity.ts';
import type { Logger } from '../core/log.ts';
import type { RunRef } from '../core/report/metrics-model.ts';
import { runPathText, type RunPath } from '../core/results/baseline.ts';
import type { Summary } from '../core/results/summary-json.ts';
import { quoted } from '../core/quote.ts';
import { DEFAULT_WANDB_BASE_URL, wandbRunUrl } from '../core/wandb.ts';
import { wandbClient, type WandbClient } from './client.ts';
import { defaultEntity } from './index.ts';

export const PREFIX = 'W&B results';

/** Every job under `parent` (`projects/P/locations/L`) matching the list `filter`. */
export type ListBaselineJobs = (parent: string, filter: string) => Promise<JobSnapshot[]>;

export interface ResultsContext {
  settings: WandbSettings;
  /** The base branch's jobs, for the baseline. */
  listBaselineJobs: ListBaselineJobs;
  log: Logger;
  /** The pull request's base branch from the event, for jobs without a github-base-ref label. */
  eventBaseBranch?: string;
  /** `owner/repo` (GITHUB_REPOSITORY), for jobs without a github-repository label. */
  repository?: string;
  /** Waits between reads of a run still syncing; scaled in tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  /** Called with the run's summary metrics when read (the `wandb-summary` output). */
  onSummary?: (summary: Summary) => void;
}

export interface RunPlace {
  client: WandbClient;
  path: RunPath;
  baseUrl: string;
}

export function refOf(place: { baseUrl: string }, path: RunPath, state?: string): RunRef {
  const url = wandbRunUrl(
    { entity: path.entity, project: path.project, baseUrl: place.baseUrl },
    path.runId,
  );
  return { path: runPathText(path), ...(url ? { url } : {}), ...(state ? { state } : {}) };
}

/** Where the job's run is: the job's own WANDB_* environment first, then the inputs. */
export async function placeOf(
  job: JobSnapshot,
  ctx: ResultsContext,
): Promise<RunPlace | undefined> {
  const { settings, log } = ctx;
  const runId = job.labels[LABEL.wandbRunId];
  if (!runId) {
    log.info(`${PREFIX}: ${job.name} has no ${LABEL.wandbRunId} label; no W&B run to read.`);
    return undefined;
  }
  const baseUrl = settings.baseUrl ?? job.wandb?.baseUrl ?? DEFAULT_WANDB_BASE_URL;
  if (!/^https?:\/\/[^/]/i.test(baseUrl)) {
    log.warning(
      `${PREFIX}: wandb-base-url ${quoted(baseUrl)} is not an http(s) URL; no metrics read.`,
    );
    return undefined;
  }
  const project = job.wandb?.project ?? settings.project;
  if (!project) {
    log.info(`${PREFIX}: no W&B project (the wandb-project input); no metrics read.`);
    return undefined;
  }
  const client = wandbClient({ baseUrl, apiKey: settings.apiKey! });
  const entity = job.wandb?.entity ?? settings.entity ?? (await defaultEntity(client));
  if (!entity) {
    log.info(`${PREFIX}: no W&B entity (the wandb-entity input), and the key names none.`);
    return undefined;
  }
  return { client, baseUrl, path: { entity, project, runId } };
}
