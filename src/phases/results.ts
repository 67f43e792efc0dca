// W&B results: once a job has ended (a launch that waited, `attach`, `reconcile`), its W&B run
// is read, the metrics to show are picked and compared with the baseline's, and a few of them
// get their history. Nothing here fails the step: W&B unreachable, refusing the key or without
// the run is a warning, and the report goes out without metrics. Without a key, nothing is
// asked of W&B at all.
import { setTimeout as delay } from 'node:timers/promises';
import type { WandbSettings } from '../context.ts';
import type { JobSnapshot } from '../core/job.ts';
import { parseJobName } from '../core/job.ts';
import { LABEL, repositoryLabelValue } from '../core/launch-identity.ts';
import type { Logger } from '../core/log.ts';
import type { MetricsReport, RunRef } from '../core/report/metrics-model.ts';
import {
  baselineJobFilter,
  newestBaselineJob,
  runPathText,
  type RunPath,
} from '../core/results/baseline.ts';
import { chartedMetrics, historyOf, metricRows, selectMetrics } from '../core/results/select.ts';
import { summaryOutput, type Summary } from '../core/results/summary-json.ts';
import { isSyncing, syncRetryDelays } from '../core/results/sync-policy.ts';
import { DEFAULT_WANDB_BASE_URL, wandbRunUrl } from '../core/wandb.ts';
import {
  defaultEntity,
  readRun,
  readSampledHistory,
  wandbClient,
  WandbError,
  type WandbClient,
  type WandbRun,
} from '../wandb/index.ts';
import { baseBranchOf, readEventPayload } from '../github/run-info.ts';
import { actionLog, setOutput } from '../github/runtime.ts';
import { listCustomJobs, TIME_SCALE_ENV, type VertexConnection } from '../vertex/index.ts';
import type { LaunchContext } from '../context.ts';
import { quoted } from '../core/quote.ts';

/** History rows asked for per charted metric; the charts thin them out further. */
const HISTORY_SAMPLES = 100;
const PREFIX = 'W&B results';

export interface ResultsContext {
  settings: WandbSettings;
  /** For the base branch's jobs. */
  vertex: VertexConnection;
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

interface RunPlace {
  client: WandbClient;
  path: RunPath;
  baseUrl: string;
}

function refOf(place: { baseUrl: string }, path: RunPath, state?: string): RunRef {
  const url = wandbRunUrl(
    { entity: path.entity, project: path.project, baseUrl: place.baseUrl },
    path.runId,
  );
  return { path: runPathText(path), ...(url ? { url } : {}), ...(state ? { state } : {}) };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Where the job's run is: the job's own WANDB_* environment first, then the inputs. */
async function placeOf(job: JobSnapshot, ctx: ResultsContext): Promise<RunPlace | undefined> {
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

/**
 * The run, read again while it is missing or still syncing and the job ended only just now.
 * Undefined (after a warning) when it cannot be had.
 */
async function readSyncedRun(
  place: RunPlace,
  job: JobSnapshot,
  ctx: ResultsContext,
): Promise<WandbRun | undefined> {
  const { log } = ctx;
  const where = runPathText(place.path);
  const delays = syncRetryDelays(job.endTime, (ctx.now ?? (() => new Date()))());
  const sleep = ctx.sleep ?? ((ms: number) => delay(ms).then(() => undefined));
  let run: WandbRun | undefined;
  let failure: WandbError | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      run = await readRun(place.client, place.path);
      failure = undefined;
    } catch (err) {
      if (!(err instanceof WandbError) || !err.transient) throw err;
      failure = err;
    }
    if (run && !isSyncing(run.state)) return run;
    const wait = delays[attempt];
    if (wait === undefined) break;
    const why = failure
      ? failure.message
      : run
        ? `the run is still ${run.state}`
        : 'W&B has no such run yet';
    log.info(`${PREFIX}: ${where}: ${why}; reading it again in ${Math.round(wait / 1000)}s.`);
    await sleep(wait);
  }
  if (failure) throw failure;
  if (!run) {
    log.warning(
      `${PREFIX}: W&B has no run ${where}. Did the training call wandb.init() (it picks up WANDB_RUN_ID, WANDB_PROJECT and WANDB_ENTITY from the environment)? The report goes out without metrics.`,
    );
  }
  return run;
}

interface Baseline {
  ref?: RunRef & { label: string };
  summary?: Summary;
  /** Where the baseline run is, for its history. */
  path?: RunPath;
  note?: string;
}

async function baselineRun(
  ctx: ResultsContext,
  place: RunPlace,
  path: RunPath,
  label: string,
  missing: string,
): Promise<Baseline> {
  const run = await readRun(place.client, path);
  if (!run) return { note: missing };
  return { ref: { ...refOf(place, path, run.state), label }, summary: run.summary, path };
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
      ctx,
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
  const where = parseJobName(job.name);
  const repository =
    job.labels[LABEL.repository] ??
    (ctx.repository ? repositoryLabelValue(ctx.repository) : undefined);
  if (!where || !repository) return { note: 'No baseline: the repository is not known.' };
  const listed = await listCustomJobs(
    ctx.vertex,
    `projects/${where.project}/locations/${where.location}`,
    baselineJobFilter(repository, branch),
    'report',
  );
  const base = newestBaselineJob(listed.jobs, repository, branch, job.name);
  if (!base) return { note: `No baseline: no succeeded launch from ${branch} yet.` };
  const path: RunPath = {
    entity: base.wandb?.entity ?? place.path.entity,
    project: base.wandb?.project ?? place.path.project,
    runId: base.labels[LABEL.wandbRunId],
  };
  return baselineRun(
    ctx,
    place,
    path,
    branch,
    `No baseline: W&B has no run ${runPathText(path)} (of job ${base.id}, the newest succeeded launch from ${branch}).`,
  );
}

/** A baseline that cannot be read is a warning; the table goes out without it. */
async function baselineOrNote(
  job: JobSnapshot,
  place: RunPlace,
  ctx: ResultsContext,
): Promise<Baseline> {
  try {
    return await findBaseline(job, place, ctx);
  } catch (err) {
    ctx.log.warning(`${PREFIX}: the baseline could not be read: ${describe(err)}`);
    return { note: 'No baseline: it could not be read (see the warning in the step log).' };
  }
}

/** The sampled history of `names` in one run; undefined (after a note) when it cannot be read. */
async function sampledHistory(
  names: string[],
  place: RunPlace,
  path: RunPath,
  ctx: ResultsContext,
): Promise<unknown[][] | undefined> {
  try {
    return await readSampledHistory(place.client, path, names, HISTORY_SAMPLES);
  } catch (err) {
    ctx.log.info(`${PREFIX}: no history of ${runPathText(path)} for the charts: ${describe(err)}`);
    return undefined;
  }
}

/** The charted metrics' history, each with the baseline's beside it when it has one. */
async function historyFor(
  names: string[],
  place: RunPlace,
  baseline: RunPath | undefined,
  ctx: ResultsContext,
): Promise<MetricsReport['history']> {
  if (names.length === 0) return [];
  const [mine, theirs] = await Promise.all([
    sampledHistory(names, place, place.path, ctx),
    baseline ? sampledHistory(names, place, baseline, ctx) : undefined,
  ]);
  if (!mine) return [];
  return names
    .map((name, i) => {
      const history = historyOf(name, mine[i]);
      const base = theirs ? historyOf(name, theirs[i]).points : [];
      return base.length > 0 ? { ...history, baseline: base } : history;
    })
    .filter((h) => h.points.length > 0);
}

/** The metrics section of an ended job's report; undefined without a key, or when W&B fails. */
export async function jobResults(
  job: JobSnapshot,
  ctx: ResultsContext,
): Promise<MetricsReport | undefined> {
  if (!ctx.settings.apiKey) return undefined;
  try {
    const place = await placeOf(job, ctx);
    if (!place) return undefined;
    const run = await readSyncedRun(place, job, ctx);
    if (!run) return undefined;
    ctx.onSummary?.(run.summary);
    const names = selectMetrics(run.summary, ctx.settings.metrics ?? []);
    const baseline = await baselineOrNote(job, place, ctx);
    const rows = metricRows(names, run.summary, baseline.summary);
    const notes = isSyncing(run.state)
      ? [`The W&B run was still ${run.state} when read: the values may not be final.`]
      : [];
    const missing = rows.filter((r) => r.value === undefined).map((r) => r.name);
    if (missing.length > 0 && (ctx.settings.metrics ?? []).length > 0) {
      notes.push(`Not in the run's summary: ${missing.join(', ')}.`);
    }
    return {
      run: refOf(place, place.path, run.state),
      ...(baseline.ref ? { baseline: baseline.ref } : {}),
      ...(baseline.note ? { baselineNote: baseline.note } : {}),
      rows,
      history: await historyFor(chartedMetrics(rows), place, baseline.path, ctx),
      notes,
    };
  } catch (err) {
    const hint =
      err instanceof WandbError && err.failure === 'refused'
        ? ' Check the wandb-api-key secret: an API key (https://wandb.ai/authorize) that may read the project.'
        : err instanceof WandbError && err.transient
          ? " Check wandb-base-url and the runner's network access to it."
          : '';
    ctx.log.warning(`${PREFIX}: ${describe(err)}.${hint} The report goes out without metrics.`);
    return undefined;
  }
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
  const scale = Number(env[TIME_SCALE_ENV]) > 0 ? Math.min(1, Number(env[TIME_SCALE_ENV])) : 1;
  return {
    settings: ctx.wandb,
    vertex,
    log: actionLog,
    eventBaseBranch: baseBranchOf(readEventPayload(env.GITHUB_EVENT_PATH)),
    repository: env.GITHUB_REPOSITORY || undefined,
    sleep: (ms) => delay(ms * scale).then(() => undefined),
    ...(opts.publish
      ? { onSummary: (summary) => setOutput('wandb-summary', summaryOutput(summary)) }
      : {}),
  };
}
