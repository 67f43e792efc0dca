// What main leaves for the post step, one typed setter per key and one typed reader of them all,
// over the signed state (signed-state.ts): the post step reads back only what main wrote.
import type { LaunchedKind } from '../core/launch-proof.ts';
import { JOB_PHASES, type JobPhase } from '../vertex/lifecycle.ts';
import { readVerifiedState, saveSignedState } from './signed-state.ts';

/** The state's keys (STATE_<key> in the post step's environment), in the order they are read. */
const KEY = {
  jobName: 'job-name',
  jobPhase: 'job-phase',
  dockerConfig: 'docker-config',
  /** The Kaniko build job, and where main stands with it (the same phases as the job's). */
  buildJobName: 'build-job-name',
  buildJobPhase: 'build-job-phase',
  /** This execution's launch id: the post step cancels only a job whose labels carry it. */
  launchId: 'launch-id',
  isPost: 'is-post',
} as const;

/** Each kind of job main launches, by its keys. */
const JOB_KEYS: Record<LaunchedKind, { name: string; phase: string }> = {
  job: { name: KEY.jobName, phase: KEY.jobPhase },
  build: { name: KEY.buildJobName, phase: KEY.buildJobPhase },
};

export function saveLaunchId(id: string): void {
  saveSignedState(KEY.launchId, id);
}

/** The registry login's directory under RUNNER_TEMP, which the post step removes. */
export function saveDockerConfig(dir: string): void {
  saveSignedState(KEY.dockerConfig, dir);
}

/** A job's name and where main stands with it. */
export function saveJob(kind: LaunchedKind, name: string, phase: JobPhase): void {
  saveSignedState(JOB_KEYS[kind].name, name);
  saveSignedState(JOB_KEYS[kind].phase, phase);
}

/** Records each phase of the job `name` of `kind` (the lifecycle's RecordPhase). */
export function jobRecorder(kind: LaunchedKind, name: string): (phase: JobPhase) => void {
  return (phase) => saveJob(kind, name, phase);
}

export interface SavedJob {
  name?: string;
  /** Undefined when none was saved, or it is not a phase main writes. */
  phase?: JobPhase;
}

export interface PostState {
  launchId?: string;
  dockerConfig?: string;
  job(kind: LaunchedKind): SavedJob;
  /** Keys whose value failed the check (and are ignored). */
  rejected: string[];
}

const isJobPhase = (value: string | undefined): value is JobPhase =>
  (JOB_PHASES as readonly (string | undefined)[]).includes(value);

/** The state as the post step sees it, keeping only what main signed. */
export function readPostState(env = process.env): PostState {
  const saved = readVerifiedState(Object.values(KEY), env);
  return {
    launchId: saved.get(KEY.launchId),
    dockerConfig: saved.get(KEY.dockerConfig),
    job(kind) {
      const phase = saved.get(JOB_KEYS[kind].phase);
      return { name: saved.get(JOB_KEYS[kind].name), phase: isJobPhase(phase) ? phase : undefined };
    },
    rejected: saved.rejected,
  };
}
