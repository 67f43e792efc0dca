// The JobService handlers: CustomJob RPCs answered from the store, every call recorded, bearer
// tokens checked when required. Other JobService methods are left to grpc-js, which answers
// UNIMPLEMENTED for methods without a handler.

import {
  status,
  type ServerErrorResponse,
  type ServerUnaryCall,
  type sendUnaryData,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { bearer, RpcError } from '../shared/grpc.ts';
import type { CapacityTable } from './capacity.ts';
import { nextSequence } from '../shared/sequence.ts';
import { parseFilter } from './filter.ts';
import type { KanikoRunner } from './kaniko.ts';
import { scenarioFromSpec, type Scenario } from './scenarios.ts';
import { isoTime, JobStore, type StoredJob } from './store.ts';
import { createRequestProblems, jobNameProblem, parentProblem } from './validate.ts';

type Obj = Record<string, unknown>;

export interface RecordedCall {
  method: string;
  time: string;
  /** The bearer token from the `authorization` metadata, or null when none was sent. */
  token: string | null;
  request: Obj;
  /** gRPC status code the emulator answered with (0 = OK). */
  code: number;
  /** Drawn from the counter all stand-ins of this process share: orders calls across them. */
  seq: number;
}

export interface EmulatorState {
  store: JobStore;
  calls: RecordedCall[];
  jobsCreated: number;
  scenarioQueue: string[];
  defaultScenario: string;
  tickMs: number;
  requireToken: boolean;
  acceptedTokens: Set<string>;
  /** Serves Kaniko build jobs with local builds (kaniko.ts); without it they follow the scenarios. */
  kaniko?: KanikoRunner;
  /** Per-region stockouts and quota refusals; they apply before any queued scenario. */
  capacity: CapacityTable;
  /** Every answer leaves this long after the call arrived (a network's round trip). */
  answerDelayMs: number;
}

function nextScenario(state: EmulatorState): Scenario {
  return scenarioFromSpec(state.scenarioQueue.shift() ?? state.defaultScenario);
}

function findJob(state: EmulatorState, name: unknown): StoredJob {
  const problem = jobNameProblem(name);
  if (problem) throw new RpcError(status.INVALID_ARGUMENT, problem);
  const job = state.store.find(name as string);
  if (!job) throw new RpcError(status.NOT_FOUND, `The CustomJob "${String(name)}" does not exist.`);
  return job;
}

function createCustomJob(state: EmulatorState, request: Obj): Obj {
  const problems = createRequestProblems(request);
  if (problems.length > 0) throw new RpcError(status.INVALID_ARGUMENT, problems.join(' '));
  // A build job's end comes from its build, not from the queued scenarios.
  const build = state.kaniko?.claims(request.customJob as Obj) ?? false;
  const refusal = build ? undefined : state.capacity.createRefusal(request);
  if (refusal) throw new RpcError(refusal.code, refusal.message);
  const scenario = build
    ? { ...scenarioFromSpec('run-forever'), name: 'kaniko-build' }
    : (state.capacity.stockout(request) ?? nextScenario(state));
  let job: StoredJob | undefined;
  if (scenario.createsJob) {
    job = state.store.create(
      request.parent as string,
      request.customJob as Obj,
      scenario,
      state.tickMs,
    );
    state.jobsCreated++;
    if (build) state.kaniko!.start(job, state.store);
  }
  if (scenario.createError)
    throw new RpcError(scenario.createError.code, scenario.createError.message);
  return state.store.render(job!);
}

function getCustomJob(state: EmulatorState, request: Obj): Obj {
  const job = findJob(state, request.name);
  job.getCalls++;
  if (job.getFailuresLeft > 0) {
    job.getFailuresLeft--;
    throw new RpcError(
      status.UNAVAILABLE,
      'The service is currently unavailable (emulated burst).',
    );
  }
  return state.store.render(job);
}

function listCustomJobs(state: EmulatorState, request: Obj): Obj {
  const problem = parentProblem(request.parent);
  if (problem) throw new RpcError(status.INVALID_ARGUMENT, problem);
  let matches;
  try {
    matches = parseFilter(request.filter as string | undefined);
  } catch (e) {
    throw new RpcError(status.INVALID_ARGUMENT, (e as Error).message);
  }
  const jobs = state.store
    .all()
    .filter((j) => j.parent === request.parent)
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((j) => ({ createdAt: j.createdAt, rendered: state.store.render(j) }))
    .filter(({ createdAt, rendered: j }) =>
      matches({
        displayName: String(j.displayName ?? ''),
        state: String(j.state),
        labels: (j.labels ?? {}) as Record<string, string>,
        createTime: createdAt,
      }),
    )
    .map(({ rendered }) => rendered);
  const pageSize =
    Number(request.pageSize ?? 0) > 0 ? Math.min(Number(request.pageSize), 1000) : 100;
  const offset = request.pageToken
    ? Number(Buffer.from(String(request.pageToken), 'base64url').toString())
    : 0;
  if (!Number.isInteger(offset) || offset < 0)
    throw new RpcError(status.INVALID_ARGUMENT, 'Invalid page_token.');
  const page = jobs.slice(offset, offset + pageSize);
  const next =
    offset + pageSize < jobs.length
      ? Buffer.from(String(offset + pageSize)).toString('base64url')
      : '';
  return { customJobs: page, nextPageToken: next };
}

function cancelCustomJob(state: EmulatorState, request: Obj): Obj {
  const job = findJob(state, request.name);
  const current = state.store.state(job);
  if (state.store.isTerminal(job)) {
    throw new RpcError(
      status.FAILED_PRECONDITION,
      `Cannot cancel CustomJob "${job.name}" because it is in state ${current}.`,
    );
  }
  if (current !== 'JOB_STATE_CANCELLING') {
    state.store.cancel(job);
    state.kaniko?.cancel(job);
  }
  return {};
}

function deleteCustomJob(state: EmulatorState, request: Obj): Obj {
  const job = findJob(state, request.name);
  if (!state.store.isTerminal(job)) {
    throw new RpcError(
      status.FAILED_PRECONDITION,
      `Cannot delete CustomJob "${job.name}" while it is running.`,
    );
  }
  state.store.delete(job.name);
  return { name: `${job.name}/operations/${Date.now()}`, done: true };
}

const HANDLERS: Record<string, (state: EmulatorState, request: Obj) => Obj> = {
  CreateCustomJob: createCustomJob,
  GetCustomJob: getCustomJob,
  ListCustomJobs: listCustomJobs,
  CancelCustomJob: cancelCustomJob,
  DeleteCustomJob: deleteCustomJob,
};

/** The answer is computed when the call arrives, and sent `answerDelayMs` later. */
function later(state: EmulatorState, send: () => void): void {
  if (state.answerDelayMs > 0) setTimeout(send, state.answerDelayMs);
  else send();
}

/** Unary handlers for the CustomJob methods, sharing `state`. */
export function jobServiceHandlers(state: EmulatorState): UntypedServiceImplementation {
  const impl: UntypedServiceImplementation = {};
  for (const [method, handler] of Object.entries(HANDLERS)) {
    impl[method] = (call: ServerUnaryCall<Obj, Obj>, callback: sendUnaryData<Obj>) => {
      const token = bearer(call.metadata);
      const entry: RecordedCall = {
        method,
        time: isoTime(Date.now()),
        token,
        request: call.request,
        code: 0,
        seq: nextSequence(),
      };
      state.calls.push(entry);
      const answer: sendUnaryData<Obj> = (error, value) =>
        later(state, () => callback(error, value));
      try {
        if (state.requireToken && (token === null || !state.acceptedTokens.has(token))) {
          throw new RpcError(
            status.UNAUTHENTICATED,
            token === null
              ? 'Request is missing required authentication credential.'
              : 'Request had invalid authentication credentials.',
          );
        }
        answer(null, handler(state, call.request));
      } catch (e) {
        const code = e instanceof RpcError ? e.code : status.INTERNAL;
        entry.code = code;
        const error: Partial<ServerErrorResponse> = { code, details: (e as Error).message };
        answer(error, null);
      }
    };
  }
  return impl;
}
