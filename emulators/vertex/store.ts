// The emulator's jobs. A job's state is computed from its scripted timeline and the clock
// whenever it is read, so there are no timers to leak and no races between ticks and RPCs.

import { randomInt } from 'node:crypto';
import {
  CANCELLED_ERROR,
  type EmulatorJobState,
  type RpcStatus,
  type Scenario,
  type Step,
} from './scenarios.ts';

type Obj = Record<string, unknown>;

interface TimedStep extends Step {
  /** Absolute time (ms since epoch) the step begins. */
  at: number;
}

export interface StoredJob {
  name: string;
  id: string;
  parent: string;
  scenario: string;
  /** The CustomJob as the client sent it (proto-loader object form). */
  spec: Obj;
  createdAt: number;
  timeline: TimedStep[];
  getFailuresLeft: number;
  getCalls: number;
  /** The tick length when the job was created; its whole life runs at this pace. */
  tickMs: number;
}

const TERMINAL = new Set<EmulatorJobState>([
  'JOB_STATE_SUCCEEDED',
  'JOB_STATE_FAILED',
  'JOB_STATE_CANCELLED',
  'JOB_STATE_EXPIRED',
  'JOB_STATE_PARTIALLY_SUCCEEDED',
]);

function timestamp(ms: number): { seconds: string; nanos: number } {
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

export class JobStore {
  private jobs = new Map<string, StoredJob>();
  private nextId = BigInt(randomInt(1, 9)) * 10n ** 18n + BigInt(randomInt(0, 2 ** 47));
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  get size(): number {
    return this.jobs.size;
  }

  clear(): void {
    this.jobs.clear();
  }

  /** `createdAt` places the job in the past (seeding); its life runs from there. */
  create(
    parent: string,
    spec: Obj,
    scenario: Scenario,
    tickMs: number,
    createdAt = this.now(),
  ): StoredJob {
    const id = String(this.nextId);
    this.nextId += BigInt(randomInt(1, 1000));
    const job: StoredJob = {
      name: `${parent}/customJobs/${id}`,
      id,
      parent,
      scenario: scenario.name,
      spec,
      createdAt,
      timeline: scenario.steps.map((s) => ({ ...s, at: createdAt + s.tick * tickMs })),
      getFailuresLeft: scenario.getFailures,
      getCalls: 0,
      tickMs,
    };
    this.jobs.set(job.name, job);
    return job;
  }

  find(name: string): StoredJob | undefined {
    return this.jobs.get(name);
  }

  delete(name: string): boolean {
    return this.jobs.delete(name);
  }

  all(): StoredJob[] {
    return [...this.jobs.values()];
  }

  /** The step in effect now, and the earlier steps that have happened. */
  private history(job: StoredJob): TimedStep[] {
    const now = this.now();
    return job.timeline.filter((s) => s.at <= now);
  }

  state(job: StoredJob): EmulatorJobState {
    return this.history(job).at(-1)?.state ?? 'JOB_STATE_QUEUED';
  }

  isTerminal(job: StoredJob): boolean {
    return TERMINAL.has(this.state(job));
  }

  /** CancelCustomJob: CANCELLING now, CANCELLED one tick later, whatever was scripted. */
  cancel(job: StoredJob): void {
    const now = this.now();
    job.timeline = [
      ...this.history(job),
      { tick: -1, at: now, state: 'JOB_STATE_CANCELLING' },
      { tick: -1, at: now + job.tickMs, state: 'JOB_STATE_CANCELLED', error: CANCELLED_ERROR },
    ];
  }

  /**
   * Ends a job whose end was not scripted (a build served by a runner): `state` from now, but
   * never before its scripted steps. A job cancelled or ended meanwhile stays as it is.
   */
  finish(job: StoredJob, state: EmulatorJobState, error?: RpcStatus): void {
    if (job.timeline.some((s) => TERMINAL.has(s.state) || s.state === 'JOB_STATE_CANCELLING'))
      return;
    const lastAt = job.timeline.at(-1)?.at ?? job.createdAt;
    const at = Math.max(this.now(), lastAt + job.tickMs);
    job.timeline = [...job.timeline, { tick: -1, at, state, error }];
  }

  /** The CustomJob message as the API returns it. */
  render(job: StoredJob): Obj {
    const history = this.history(job);
    const current = history.at(-1);
    const state = current?.state ?? 'JOB_STATE_QUEUED';
    const started = history.find((s) => s.state === 'JOB_STATE_RUNNING');
    const error: RpcStatus | undefined = current?.error;
    const jobSpec = (job.spec.jobSpec ?? {}) as Obj;
    const out: Obj = {
      ...job.spec,
      name: job.name,
      state,
      createTime: timestamp(job.createdAt),
      updateTime: timestamp(current?.at ?? job.createdAt),
    };
    if (started) out.startTime = timestamp(started.at);
    if (TERMINAL.has(state)) out.endTime = timestamp(current!.at);
    if (error) out.error = { code: error.code, message: error.message };
    if (jobSpec.enableWebAccess && state === 'JOB_STATE_RUNNING') {
      const region = job.parent.split('/')[3];
      out.webAccessUris = {
        'workerpool0-0': `https://${job.id}-workerpool0-0.${region}.aiplatform-training.googleusercontent.com`,
      };
    }
    return out;
  }

  /** A JSON-friendly summary for the admin record. */
  summary(job: StoredJob): Obj {
    const rendered = this.render(job);
    return {
      name: job.name,
      id: job.id,
      scenario: job.scenario,
      state: rendered.state,
      displayName: job.spec.displayName,
      labels: job.spec.labels ?? {},
      createTime: isoTime(job.createdAt),
      getCalls: job.getCalls,
      error: rendered.error,
    };
  }
}
