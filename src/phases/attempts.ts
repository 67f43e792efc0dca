// One launch, region after region: the job's own region first, then each usable fallback
// region, each at most once. Only a capacity failure (a stockout ending the job, or Create
// refused by a regional quota) moves the same request on, with a new launch id; anything
// else ends the launch as it is. The submit and follow of one attempt are main's
// (`runAttempt`); this phase decides what comes after, and keeps the attempts in the report.
import {
  attemptsLine,
  capacityEndMessage,
  capacityOutcome,
  latestAttempts,
  nextRegion,
} from '../core/attempts.ts';
import type { AttemptRecord, RegionPlan } from '../core/attempts.ts';
import { capacityOfJobError, describeCapacity, type CapacityFailure } from '../core/capacity.ts';
import { UserError } from '../core/errors.ts';
import { parseJobName, type JobSnapshot } from '../core/job.ts';
import { LABEL } from '../core/launch-identity.ts';
import type { CompiledLaunch } from '../core/queue-config/compile.ts';
import { retarget } from '../core/region-bound.ts';
import { forAttempt } from '../core/report/attempts.ts';
import { actionLog as log } from '../github/runtime.ts';
import { CapacityError, listJobsByLabel, type VertexConnection } from '../vertex/index.ts';
import type { FollowAttempt } from './follow.ts';
import type { LaunchProgress } from './progress.ts';
import { abortOnSignals } from './signals.ts';

export interface AttemptRun {
  /** The request in the attempt's region. */
  launch: CompiledLaunch;
  /** The first attempt's is the execution's own; each later one gets a new one. */
  launchLabel: { key: string; value: string };
  follow: FollowAttempt;
}

/** Submits and follows one attempt; returns the job when a capacity failure handed it back. */
export type RunAttempt = (run: AttemptRun) => Promise<JobSnapshot | undefined>;

export interface LaunchPlan {
  /** The compiled launch in the job's own region. */
  launch: CompiledLaunch;
  plan: RegionPlan;
  /** The image a region's pools pull instead of the job region's, when it differs. */
  imageFor?: (region: string) => { from: string; to: string } | undefined;
  firstLabel: { key: string; value: string };
  newLabel: () => { key: string; value: string };
  /** false (wait: false): the job is not followed, so a later stockout cannot move it. */
  wait: boolean;
  /** `wait-timeout`: one budget for all the attempts together. */
  waitTimeoutSeconds: number;
  progress: LaunchProgress;
}

const now = () => new Date().toISOString();

export async function launchAcrossRegions(opts: LaunchPlan, runAttempt: RunAttempt): Promise<void> {
  const { plan, progress } = opts;
  if (plan.regions.length > 1 && !opts.wait)
    log.warning(
      'fallback-regions: with wait: false the job is not followed, so a stockout after its Create cannot move it to another region.',
    );
  // One abort for every attempt, set up before the first Create: a signal between attempts
  // stops the launch, and one during an attempt cancels that attempt's job only.
  const abort = abortOnSignals();
  const deadline = Date.now() + opts.waitTimeoutSeconds * 1000;
  const attempts: AttemptRecord[] = [];
  for (let region = plan.regions[0]; ;) {
    const launch =
      region === opts.launch.region
        ? opts.launch
        : retarget(opts.launch, region, opts.imageFor?.(region));
    const record: AttemptRecord = { region, startTime: now() };
    attempts.push(record);
    progress.update(forAttempt(progress.report, region, attempts));
    let handedBack: JobSnapshot | undefined;
    let failure: CapacityFailure | undefined;
    try {
      handedBack = await runAttempt({
        launch,
        launchLabel: attempts.length === 1 ? opts.firstLabel : opts.newLabel(),
        follow: {
          abort,
          handBack: (job) => capacityOfJobError(job.error, region) !== undefined,
          timeoutSeconds: Math.max(0, Math.ceil((deadline - Date.now()) / 1000)),
        },
      });
      if (!handedBack) return;
      failure = capacityOfJobError(handedBack.error, region)!;
    } catch (e) {
      if (!(e instanceof CapacityError)) throw e;
      failure = e.capacity;
    }
    const atCreate = !handedBack;
    Object.assign(record, {
      endTime: now(),
      outcome: capacityOutcome(failure, atCreate),
      ...(handedBack ? { jobName: handedBack.name } : {}),
    });
    progress.update({ attempts: [...attempts] });
    const next = nextRegion(plan, attempts);
    if (!next || abort.signal.aborted) {
      const message = abort.signal.aborted
        ? `the workflow was cancelled after ${attemptsLine(attempts)}; no other region was tried`
        : capacityEndMessage(plan, attempts, failure, atCreate);
      await progress.finish(handedBack, {
        outcome: abort.signal.aborted ? 'cancelled' : 'failure',
        error: { code: 8, message },
      });
      throw new UserError(atCreate ? 'submit' : 'wait', message);
    }
    log.warning(
      `${region}: ${describeCapacity(failure, atCreate)}. The same job goes to ${next} next (fallback-regions).`,
    );
    region = next;
  }
}

/**
 * For `attach`: a job that ended for lack of capacity may have been followed by a later
 * attempt of the same launch (same W&B run id) in one of `regions`; that one, when there is.
 */
export async function laterAttempt(
  job: JobSnapshot,
  regions: string[],
  connect: (region: string) => Promise<VertexConnection>,
): Promise<JobSnapshot | undefined> {
  const where = parseJobName(job.name);
  const runId = job.labels[LABEL.wandbRunId];
  if (!where || !runId || !capacityOfJobError(job.error, where.location)) return undefined;
  const places = [...new Set([where.location, ...regions])];
  const found = await Promise.all(
    places.map(async (region) => {
      const vertex = await connect(region);
      try {
        const parent = `projects/${where.project}/locations/${region}`;
        return await listJobsByLabel(vertex, parent, { key: LABEL.wandbRunId, value: runId });
      } finally {
        await vertex.close();
      }
    }),
  );
  const newest = latestAttempts([job, ...found.flat()]).latest.find(
    (j) => j.labels[LABEL.wandbRunId] === runId,
  );
  return newest && newest.name !== job.name ? newest : undefined;
}
