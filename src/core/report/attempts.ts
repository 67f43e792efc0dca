// A launch's attempts in its reports: one row per region tried (region, job, outcome,
// duration), and, while a FLEX_START job waits for capacity, how long it may still wait.
// Shared by the job summary, the check run and the PR comment. Pure.
import type { AttemptRecord } from '../attempts.ts';
import { consoleUrl, parseJobName } from '../job.ts';
import type { CreateCustomJobRequestJson, JsonObject, JsonValue } from '../request.ts';
import { code, formatDuration, linkMarkdown, table, text } from './format.ts';
import type { LaunchReport } from './model.ts';
import { stateLabel } from './outcome.ts';

/** The report as a new attempt in `region` begins: the previous attempt's job is left behind. */
export function forAttempt(
  report: LaunchReport,
  region: string,
  attempts: AttemptRecord[],
): Partial<LaunchReport> {
  const links = { ...report.links, console: undefined, logging: undefined };
  return {
    region,
    attempts: [...attempts],
    jobName: undefined,
    jobId: undefined,
    state: undefined,
    error: undefined,
    createTime: undefined,
    startTime: undefined,
    endTime: undefined,
    logExcerpt: undefined,
    links,
  };
}

const OUTCOMES: Record<string, string> = {
  stockout: '🚫 Stockout: no capacity in the region',
  quota: '🚫 Regional quota used up',
  'quota-at-create': '🚫 Create refused: regional quota',
};

function millis(t: string | undefined): number | undefined {
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

function span(from: string | undefined, to: string | undefined, now?: Date): string {
  const start = millis(from);
  const end = millis(to) ?? now?.getTime();
  return start === undefined || end === undefined || end < start
    ? '—'
    : formatDuration(end - start);
}

function jobCell(jobName: string | undefined, project: string): string {
  const where = jobName ? parseJobName(jobName) : undefined;
  if (!where) return '—';
  return linkMarkdown(code(where.id), consoleUrl(where.location, where.id, project));
}

/**
 * The attempts table: shown when the launch moved to another region, or its only region had
 * no capacity; a launch that ran where it began shows none.
 */
export function attemptsSection(report: LaunchReport, now?: Date): string {
  const attempts = report.attempts ?? [];
  const moved = attempts.length > 1 || attempts.some((a) => a.outcome !== undefined);
  if (!moved) return '';
  const rows = attempts.map((a, i) => {
    const live = a.outcome === undefined;
    const outcome = live
      ? report.state
        ? text(stateLabel(report.state))
        : 'Submitting'
      : (OUTCOMES[a.outcome!] ?? text(stateLabel(a.outcome)));
    const jobName = live ? report.jobName : a.jobName;
    const to = live ? report.endTime : a.endTime;
    return [
      String(i + 1),
      code(a.region),
      jobCell(jobName, report.project),
      outcome,
      span(a.startTime, to, now),
    ];
  });
  const heading = `**Regions tried** (\`fallback-regions\`): ${attempts.length}`;
  return `${heading}\n\n${table(['Attempt', 'Region', 'Job', 'Outcome', 'Duration'], rows)}`;
}

const WAITING_STATES = new Set(['JOB_STATE_QUEUED', 'JOB_STATE_PENDING']);

/** While a FLEX_START job waits for capacity: that it waits, and the time left to wait. */
export function capacityWaitNote(report: LaunchReport, now?: Date): string {
  const wait = report.capacityWait;
  if (!wait || !report.state || !WAITING_STATES.has(report.state)) return '';
  const created = millis(report.createTime);
  if (!wait.maxWaitSeconds)
    return '> ⏳ Waiting for capacity (FLEX_START, no max_wait_duration): the job starts when Vertex AI has the machines.';
  if (created === undefined || !now)
    return `> ⏳ Waiting for capacity (FLEX_START): up to ${formatDuration(wait.maxWaitSeconds * 1000)} from its creation.`;
  const left = created + wait.maxWaitSeconds * 1000 - now.getTime();
  return left > 0
    ? `> ⏳ Waiting for capacity (FLEX_START): ${formatDuration(left)} left of max_wait_duration ${formatDuration(wait.maxWaitSeconds * 1000)}; the job expires if none comes.`
    : `> ⏳ Waiting for capacity (FLEX_START): max_wait_duration ${formatDuration(wait.maxWaitSeconds * 1000)} is up; the job is about to expire.`;
}

function asObject(v: JsonValue | undefined): JsonObject | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

/** Vertex's default max_wait_duration for FLEX_START when none is given: 24 hours. */
export const DEFAULT_MAX_WAIT_SECONDS = 24 * 3600;

/** A FLEX_START request's wait for capacity; undefined for every other strategy. */
export function capacityWaitOf(
  request: CreateCustomJobRequestJson,
): LaunchReport['capacityWait'] | undefined {
  const scheduling = asObject(asObject(request.customJob.jobSpec)?.scheduling);
  if (scheduling?.strategy !== 'FLEX_START') return undefined;
  const wait = scheduling.maxWaitDuration;
  const seconds = typeof wait === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(wait)?.[1] : undefined;
  return { maxWaitSeconds: seconds === undefined ? DEFAULT_MAX_WAIT_SECONDS : Number(seconds) };
}
