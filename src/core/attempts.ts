// One launch, several regions: the order in which regions are tried, which come next after a
// capacity failure, the record of each attempt, and the messages that end a launch no region
// could take. Pure: the phase (src/phases/attempts.ts) makes the calls and keeps the clock.
import { describeCapacity, type CapacityFailure } from './capacity.ts';
import type { Problem } from './errors.ts';

export const FALLBACK_INPUT = 'fallback-regions';

const REGION_NAME = /^[a-z]+(?:-[a-z]+)+[0-9]+$/;

/** The `fallback-regions` input: comma- or newline-separated region names, in order. */
export function parseFallbackRegions(text: string, problems: Problem[]): string[] {
  const regions: string[] = [];
  for (const item of text.split(/[,\n]/).map((s) => s.trim())) {
    if (!item) continue;
    if (!REGION_NAME.test(item)) {
      const shown = item.length > 40 ? `${item.slice(0, 40)}…` : item;
      problems.push({
        path: FALLBACK_INPUT,
        message: `"${shown}" is not a Vertex AI region such as us-east4`,
      });
    } else if (!regions.includes(item)) regions.push(item);
  }
  return regions;
}

export interface UnusableRegion {
  region: string;
  /** Why the job cannot run there (the image, the bucket, the machine), one line each. */
  reasons: string[];
}

export interface RegionPlan {
  /** The job's own region first, then every usable fallback region, in the input's order. */
  regions: string[];
  /** Fallback regions that preflight ruled out: never tried. */
  unusable: UnusableRegion[];
  /** Whether `fallback-regions` named any region at all. */
  fallbackGiven: boolean;
}

export function planRegions(
  primary: string,
  fallbacks: readonly string[],
  unusable: readonly UnusableRegion[] = [],
): RegionPlan {
  const ruledOut = new Set(unusable.map((u) => u.region));
  const rest = fallbacks.filter((r) => r !== primary && !ruledOut.has(r));
  return {
    regions: [primary, ...rest],
    unusable: unusable.filter((u) => u.region !== primary),
    fallbackGiven: fallbacks.some((r) => r !== primary),
  };
}

/** How an attempt ended: a capacity failure, or the job's final state (`JOB_STATE_*`). */
export type AttemptOutcome = 'stockout' | 'quota' | 'quota-at-create' | string;

export interface AttemptRecord {
  region: string;
  /** The job's resource name; absent when Create was refused. */
  jobName?: string;
  /** RFC3339: when the attempt's Create went out, and when its end was seen. */
  startTime: string;
  endTime?: string;
  /** Undefined while the attempt is live (the report's own state then tells). */
  outcome?: AttemptOutcome;
}

/** The outcome an attempt's capacity failure is recorded with. */
export function capacityOutcome(failure: CapacityFailure, atCreate: boolean): AttemptOutcome {
  if (failure.kind === 'stockout') return 'stockout';
  return atCreate ? 'quota-at-create' : 'quota';
}

/** The region to try after the attempts made so far, or undefined when none is left. */
export function nextRegion(
  plan: RegionPlan,
  attempts: readonly AttemptRecord[],
): string | undefined {
  return plan.regions[attempts.length];
}

function outcomeWords(outcome: AttemptOutcome | undefined): string {
  switch (outcome) {
    case 'stockout':
      return 'stockout';
    case 'quota':
      return 'regional quota';
    case 'quota-at-create':
      return 'quota refused at Create';
    default:
      return outcome ? outcome.replace(/^JOB_STATE_/, '').toLowerCase() : 'live';
  }
}

/** `us-central1 (stockout), us-east4 (quota refused at Create)`. */
export function attemptsLine(attempts: readonly AttemptRecord[]): string {
  return attempts.map((a) => `${a.region} (${outcomeWords(a.outcome)})`).join(', ');
}

function unusableLine(unusable: readonly UnusableRegion[]): string {
  if (unusable.length === 0) return '';
  const list = unusable.map((u) => `${u.region}: ${u.reasons.join('; ')}`).join(' | ');
  return ` Not tried (preflight found them unusable): ${list}.`;
}

/** Why the launch stopped after the last region tried had no capacity. */
export function capacityEndMessage(
  plan: RegionPlan,
  attempts: readonly AttemptRecord[],
  failure: CapacityFailure,
  atCreate: boolean,
): string {
  const last = attempts.at(-1)?.region ?? plan.regions[0];
  const what = `${describeCapacity(failure, atCreate)}: ${failure.message}`;
  if (!plan.fallbackGiven) {
    return (
      `${last} has no capacity for this job (${what}). Capacity failures are not retried in ` +
      `another region unless the \`${FALLBACK_INPUT}\` input names some (e.g. ` +
      `\`${FALLBACK_INPUT}: us-east4, europe-west4\`); or let the job wait for capacity with ` +
      `run.scheduling_strategy: FLEX_START.`
    );
  }
  return (
    `no region had capacity for this job; tried ${attemptsLine(attempts)} (last: ${what}).` +
    unusableLine(plan.unusable)
  );
}

/** The W&B run id is one per execution of the step: every attempt of a launch carries it. */
const LAUNCH_KEY = 'wandb-run-id';

/**
 * A launch's attempts count as one launch: of the jobs carrying the same W&B run id, only the
 * newest stands for it; the earlier ones (capacity failures it moved on from) are superseded.
 */
export function latestAttempts<T extends { labels: Record<string, string>; createTime?: string }>(
  jobs: readonly T[],
): { latest: T[]; superseded: T[] } {
  const newest = new Map<string, T>();
  for (const job of jobs) {
    const key = job.labels[LAUNCH_KEY];
    if (!key) continue;
    const seen = newest.get(key);
    if (!seen || (job.createTime ?? '') > (seen.createTime ?? '')) newest.set(key, job);
  }
  const latest: T[] = [];
  const superseded: T[] = [];
  for (const job of jobs) {
    const key = job.labels[LAUNCH_KEY];
    (key && newest.get(key) !== job ? superseded : latest).push(job);
  }
  return { latest, superseded };
}
