// Creating the CustomJob exactly once. Vertex has no request id for CreateCustomJob, so the
// request carries a launch label unique to this execution of the step (matrix legs, a second
// use in the same job and re-run attempts each have their own), and the label is the key:
//  - the first Create goes out without any lookup: no earlier job can be this execution's;
//  - after an ambiguous Create failure (UNAVAILABLE, DEADLINE_EXCEEDED, a lost response) the
//    job may exist anyway, so List by the label before retrying; if it is there, it is ours;
//  - the client library's own retries are off, so nothing repeats a Create behind our back;
//  - a rate limit (RESOURCE_EXHAUSTED worded as one) was refused before anything was made:
//    repeated after the backoff, with no lookup; a regional quota refusal is a CapacityError.

import { capacityOfCreateError, isRateLimit } from '../core/capacity.ts';
import { errorMessage, UserError } from '../core/errors.ts';
import type { JobSnapshot } from '../core/job.ts';
import type { Logger } from '../core/log.ts';
import type { CreateCustomJobRequestJson } from '../core/request.ts';
import { CREATE_ATTEMPTS, createRetryDelay } from '../core/follow-policy.ts';
import { DEFAULT_JITTER, jitter } from '../core/retry.ts';
import { retry } from '../retry/index.ts';
import { abortableSleep, createOnce, listOnce, withReadRetries, type Sleep } from './calls.ts';
import type { VertexConnection } from './connection.ts';
import { codeName, rpcFailure } from '../grpc/status.ts';
import { CapacityError, isTransientCreate, rpcUserError } from './status.ts';

export interface SubmitOptions {
  launchLabel: { key: string; value: string };
  log: Logger;
  /** Injected in tests; waits are scaled by the connection's time scale either way. */
  sleep?: Sleep;
}

export interface SubmitResult {
  job: JobSnapshot;
  /** true when a Create failed ambiguously and the job was found by the launch label. */
  recovered: boolean;
}

function withLaunchLabel(
  request: CreateCustomJobRequestJson,
  label: { key: string; value: string },
  log: Logger,
) {
  const labels = { ...(request.customJob.labels ?? {}) };
  if (labels[label.key] !== undefined && labels[label.key] !== label.value) {
    log.debug(`Replacing label ${label.key}=${labels[label.key]} with the launch label value.`);
  }
  labels[label.key] = label.value;
  return { ...request, customJob: { ...request.customJob, labels } };
}

function pick(
  jobs: JobSnapshot[],
  label: { key: string; value: string },
  log: Logger,
): JobSnapshot | undefined {
  if (jobs.length > 1) {
    log.warning(
      `${jobs.length} Vertex AI jobs carry the launch label ${label.key}=${label.value}; ` +
        `using the oldest, ${jobs[0].name}.`,
    );
  }
  return jobs[0];
}

/** A Create refused by a rate limit, before anything was made: repeated after the backoff. */
class RateLimited extends Error {}
/** An ambiguous Create failure after which the lookup found no job: Create is repeated at once. */
class NotCreated extends Error {}

/** The wait after the `attempt`-th Create failure, jittered. */
const createWait = (attempt: number) =>
  jitter(createRetryDelay(attempt), DEFAULT_JITTER, Math.random);

function createFailureError(e: unknown): UserError {
  const failure = rpcFailure(e);
  const capacity = capacityOfCreateError(failure.code, failure.details);
  const error = rpcUserError('submit', 'CreateCustomJob', e);
  return capacity ? new CapacityError(error, capacity) : error;
}

interface Lookup {
  conn: VertexConnection;
  label: { key: string; value: string };
  log: Logger;
  sleep: Sleep;
  /** Jobs carrying the launch label. */
  findOurs: () => Promise<JobSnapshot[]>;
}

/**
 * After an ambiguous Create failure: the job if it was made anyway; NotCreated when Create may
 * be repeated; a UserError when it may not, or when the lookup itself failed.
 */
async function lookUpAfterFailure(
  e: unknown,
  attempt: number,
  { conn, label, log, sleep, findOurs }: Lookup,
): Promise<SubmitResult> {
  const code = codeName(rpcFailure(e).code);
  log.warning(
    `CreateCustomJob failed with ${code} (attempt ${attempt} of ${CREATE_ATTEMPTS}); ` +
      `checking whether the job was created anyway.`,
  );
  // Wait first: a job whose Create response was lost may take a moment to show in List.
  await sleep(createWait(attempt) * conn.timeScale);
  let found: JobSnapshot | undefined;
  try {
    found = pick(await findOurs(), label, log);
  } catch (listError) {
    throw new UserError(
      'submit',
      `CreateCustomJob failed with ${code} and the job could not be looked up afterwards ` +
        `(${errorMessage(listError)}). A job may exist: look for label ${label.key}=${label.value} ` +
        'in the Vertex AI console before re-running, and follow it with the `attach` input.',
    );
  }
  if (found) {
    log.info(`The job was created despite the error: ${found.name}.`);
    return { job: found, recovered: true };
  }
  if (attempt >= CREATE_ATTEMPTS) {
    throw rpcUserError(
      'submit',
      'CreateCustomJob',
      e,
      `(${attempt} attempts; no job with label ${label.key}=${label.value} exists, so none was created).`,
    );
  }
  throw new NotCreated();
}

export async function submitCustomJob(
  conn: VertexConnection,
  request: CreateCustomJobRequestJson,
  opts: SubmitOptions,
): Promise<SubmitResult> {
  const { launchLabel: label, log } = opts;
  const sleep = opts.sleep ?? abortableSleep;
  const labelled = withLaunchLabel(request, label, log);
  const clientRequest = conn.toClientRequest(labelled);
  const findOurs = () =>
    withReadRetries(
      conn,
      'submit',
      'ListCustomJobs',
      () => listOnce(conn, request.parent, label),
      sleep,
    );

  const attemptCreate = async (attempt: number): Promise<SubmitResult> => {
    try {
      const job = await createOnce(conn, clientRequest);
      log.info(`Created Vertex AI job ${job.name}.`);
      return { job, recovered: false };
    } catch (e) {
      const failure = rpcFailure(e);
      if (isRateLimit(failure.code, failure.details) && attempt < CREATE_ATTEMPTS) {
        throw new RateLimited();
      }
      if (capacityOfCreateError(failure.code, failure.details) || !isTransientCreate(e)) {
        throw createFailureError(e);
      }
      return lookUpAfterFailure(e, attempt, { conn, label, log, sleep, findOurs });
    }
  };

  return retry(attemptCreate, {
    retryable: (e) => e instanceof RateLimited || e instanceof NotCreated,
    // A repeat after a lookup that found nothing has waited already.
    schedule: (attempt, e) => (e instanceof NotCreated ? 0 : createWait(attempt)),
    budget: { attempts: CREATE_ATTEMPTS },
    onRetry: (e, attempt) => {
      if (e instanceof RateLimited) {
        log.warning(
          `CreateCustomJob was rate-limited (attempt ${attempt} of ${CREATE_ATTEMPTS}); retrying.`,
        );
      }
    },
    sleep,
    timeScale: conn.timeScale,
  });
}
