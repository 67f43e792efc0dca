// W&B results: once a job has ended (a launch that waited, `attach`, `reconcile`), its W&B run
// is read, the metrics to show are picked and compared with the baseline's, and a few of them
// get their history. Nothing here fails the step: W&B unreachable, refusing the key or without
// the run is a warning, and the report goes out without metrics. Without a key, nothing is
// asked of W&B at all.
import { errorMessage } from '../core/errors.ts';
import type { JobSnapshot } from '../core/job.ts';
import type { MetricsReport } from '../core/report/metrics-model.ts';
import { runPathText, type RunPath } from '../core/results/baseline.ts';
import { chartedMetrics, historyOf, metricRows, selectMetrics } from '../core/results/select.ts';
import { isSyncing, syncRetryDelays } from '../core/results/sync-policy.ts';
import { listed } from '../core/retry.ts';
import { abortableSleep, retry } from '../retry/index.ts';
import { baselineOrNote } from './baseline.ts';
import { WandbError } from './client.ts';
import { readRun, readSampledHistory, type WandbRun } from './index.ts';
import { placeOf, PREFIX, refOf, type ResultsContext, type RunPlace } from './run-place.ts';

export type { ListBaselineJobs, ResultsContext } from './run-place.ts';

/** History rows asked for per charted metric; the charts thin them out further. */
const HISTORY_SAMPLES = 100;

/** A read that found the run missing (`run` undefined) or still syncing. */
class NotSynced extends Error {
  readonly run: WandbRun | undefined;
  constructor(run: WandbRun | undefined) {
    super(run ? `the run is still ${run.state}` : 'W&B has no such run yet');
    this.run = run;
  }
}

/** One read of the run: NotSynced when it is not there or not final yet. */
async function readEndedRun(place: RunPlace): Promise<WandbRun> {
  const run = await readRun(place.client, place.path);
  if (run && !isSyncing(run.state)) return run;
  throw new NotSynced(run);
}

/**
 * The run, read again while it is missing or still syncing (or W&B failed transiently) and the
 * job ended only just now. Undefined (after a warning) when it cannot be had.
 */
async function readSyncedRun(
  place: RunPlace,
  job: JobSnapshot,
  ctx: ResultsContext,
): Promise<WandbRun | undefined> {
  const where = runPathText(place.path);
  try {
    return await retry(() => readEndedRun(place), {
      retryable: (e) => e instanceof NotSynced || (e instanceof WandbError && e.transient),
      schedule: listed(syncRetryDelays(job.endTime, (ctx.now ?? (() => new Date()))())),
      onRetry: (e, _failures, wait) =>
        ctx.log.info(
          `${PREFIX}: ${where}: ${errorMessage(e)}; reading it again in ${Math.round(wait / 1000)}s.`,
        ),
      sleep: ctx.sleep ?? abortableSleep,
    });
  } catch (e) {
    if (!(e instanceof NotSynced)) throw e;
    if (!e.run) {
      ctx.log.warning(
        `${PREFIX}: W&B has no run ${where}. Did the training call wandb.init() (it picks up WANDB_RUN_ID, WANDB_PROJECT and WANDB_ENTITY from the environment)? The report goes out without metrics.`,
      );
    }
    return e.run;
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
    ctx.log.info(
      `${PREFIX}: no history of ${runPathText(path)} for the charts: ${errorMessage(err)}`,
    );
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

/** The metrics of a run that was read, against the baseline's. */
async function metricsOf(
  job: JobSnapshot,
  place: RunPlace,
  run: WandbRun,
  ctx: ResultsContext,
): Promise<MetricsReport> {
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
    return await metricsOf(job, place, run, ctx);
  } catch (err) {
    const hint =
      err instanceof WandbError && err.failure === 'refused'
        ? ' Check the wandb-api-key secret: an API key (https://wandb.ai/authorize) that may read the project.'
        : err instanceof WandbError && err.transient
          ? " Check wandb-base-url and the runner's network access to it."
          : '';
    ctx.log.warning(`${PREFIX}: ${errorMessage(err)}.${hint} The report goes out without metrics.`);
    return undefined;
  }
}
