// Scripted lifecycles and faults the emulator plays per created job. A scenario is named as
// `NAME` or `NAME:PARAM` (e.g. `get-unavailable-burst:5`, `create-response-lost:DEADLINE_EXCEEDED`,
// `fail-message:TEXT`); PARAM is everything after the first colon.

import { status } from '@grpc/grpc-js';

export type EmulatorJobState =
  | 'JOB_STATE_QUEUED'
  | 'JOB_STATE_PENDING'
  | 'JOB_STATE_RUNNING'
  | 'JOB_STATE_SUCCEEDED'
  | 'JOB_STATE_FAILED'
  | 'JOB_STATE_CANCELLING'
  | 'JOB_STATE_CANCELLED'
  | 'JOB_STATE_EXPIRED'
  | 'JOB_STATE_PARTIALLY_SUCCEEDED';

export interface RpcStatus {
  code: number;
  message: string;
}

/** One step of a job's scripted life: from `tick` ticks after creation the job is in `state`. */
export interface Step {
  tick: number;
  state: EmulatorJobState;
  error?: RpcStatus;
}

export interface Scenario {
  name: string;
  /** The job's life, in ticks. Empty when the Create call fails without creating a job. */
  steps: Step[];
  /** Create answers with this error; `createsJob` says whether the job exists anyway. */
  createError?: RpcStatus;
  createsJob: boolean;
  /** The first N Get calls for the job fail with UNAVAILABLE. */
  getFailures: number;
}

export const SCENARIO_NAMES = [
  'succeed',
  'fail',
  'fail-message',
  'cancel',
  'cancelled-externally',
  'stuck-pending',
  'run-forever',
  'expired',
  'partially-succeeded',
  'get-unavailable-burst',
  'create-response-lost',
  'create-unavailable',
  'create-resource-exhausted',
  'create-rate-limited',
  'create-invalid-argument',
] as const;

const Q: Step = { tick: 0, state: 'JOB_STATE_QUEUED' };
const P: Step = { tick: 1, state: 'JOB_STATE_PENDING' };
const R: Step = { tick: 2, state: 'JOB_STATE_RUNNING' };
const SUCCEED: Step[] = [Q, P, R, { tick: 4, state: 'JOB_STATE_SUCCEEDED' }];

/** What a cancelled job carries, as CancelCustomJob documents: code 1 (CANCELLED). */
export const CANCELLED_ERROR: RpcStatus = { code: status.CANCELLED, message: 'CANCELED' };

function job(name: string, steps: Step[], extra: Partial<Scenario> = {}): Scenario {
  return { name, steps, createsJob: true, getFailures: 0, ...extra };
}

function statusCode(name: string): number {
  const code = (status as unknown as Record<string, number>)[name];
  if (typeof code !== 'number') throw new Error(`unknown gRPC status name: ${name}`);
  return code;
}

function count(param: string | undefined, fallback: number, spec: string): number {
  if (param === undefined) return fallback;
  if (!/^\d+$/.test(param)) throw new Error(`scenario "${spec}": the parameter must be a count`);
  return Number(param);
}

const FAILED_REPLICA_MESSAGE =
  'The replica workerpool0-0 exited with a non-zero status of 1. ' +
  'To find out more about why your job exited please check the logs.';

function failing(spec: string, message: string): Scenario {
  const error = { code: status.INVALID_ARGUMENT, message };
  return job(spec, [Q, P, R, { tick: 4, state: 'JOB_STATE_FAILED', error }]);
}

/** Parses `NAME[:PARAM]`; throws with the list of known names on a typo. */
export function scenarioFromSpec(spec: string): Scenario {
  const colon = spec.indexOf(':');
  const name = colon < 0 ? spec : spec.slice(0, colon);
  const param = colon < 0 ? undefined : spec.slice(colon + 1);
  switch (name) {
    case 'succeed':
      return job(spec, SUCCEED);
    case 'fail':
      // `fail:MESSAGE`: the job's own error message (everything after the first colon).
      return failing(spec, param ?? FAILED_REPLICA_MESSAGE);
    case 'fail-message':
      // The job's error message as given: text the training code's author can shape.
      return failing(spec, param ?? FAILED_REPLICA_MESSAGE);
    case 'cancel':
    case 'run-forever':
      return job(spec, [Q, P, R]);
    case 'cancelled-externally':
      return job(spec, [
        Q,
        P,
        R,
        { tick: 3, state: 'JOB_STATE_CANCELLING' },
        { tick: 4, state: 'JOB_STATE_CANCELLED', error: CANCELLED_ERROR },
      ]);
    case 'stuck-pending':
      return job(spec, [Q, P]);
    case 'expired':
      return job(spec, [
        Q,
        P,
        {
          tick: 3,
          state: 'JOB_STATE_EXPIRED',
          error: {
            code: status.DEADLINE_EXCEEDED,
            message: 'The job could not start within its maximum wait duration.',
          },
        },
      ]);
    case 'partially-succeeded':
      return job(spec, [Q, P, R, { tick: 4, state: 'JOB_STATE_PARTIALLY_SUCCEEDED' }]);
    case 'get-unavailable-burst':
      return job(spec, SUCCEED, { getFailures: count(param, 3, spec) });
    case 'create-response-lost':
      return job(spec, SUCCEED, {
        createError: {
          code: statusCode(param ?? 'UNAVAILABLE'),
          message: 'The service was unable to send the response (emulated: the job was created).',
        },
      });
    case 'create-unavailable':
      return job(spec, [], {
        createsJob: false,
        createError: { code: status.UNAVAILABLE, message: 'The service is currently unavailable.' },
      });
    case 'create-resource-exhausted':
      return job(spec, [], {
        createsJob: false,
        createError: {
          code: status.RESOURCE_EXHAUSTED,
          message:
            'The following quota metrics exceed quota limits: ' +
            'aiplatform.googleapis.com/custom_model_training_cpus',
        },
      });
    case 'create-rate-limited':
      // Google's API front end words a request-rate limit so (see src/core/capacity.ts).
      return job(spec, [], {
        createsJob: false,
        createError: {
          code: status.RESOURCE_EXHAUSTED,
          message:
            "Quota exceeded for quota metric 'Resource management (CRUD) requests' and limit " +
            "'Resource management (CRUD) requests per minute per region' of service " +
            "'aiplatform.googleapis.com' for consumer 'project_number:123'.",
        },
      });
    case 'create-invalid-argument':
      return job(spec, [], {
        createsJob: false,
        createError: {
          code: status.INVALID_ARGUMENT,
          message: 'Request contains an invalid argument (emulated).',
        },
      });
    default:
      throw new Error(`unknown scenario "${spec}"; known: ${SCENARIO_NAMES.join(', ')}`);
  }
}
