// Creating the CustomJob exactly once. Vertex has no request id for CreateCustomJob, so the
// request carries a launch label unique to this step attempt, and the label is the key:
//  - before the first Create, List by the label: a re-run of the same attempt (a restarted
//    runner, a retried step) finds the job it already made and follows it (reused: true);
//  - after a transient Create failure the job may exist anyway (the response was lost), so
//    List by the label again before retrying; if it is there, that is our job;
//  - the client library's own retries are off, so nothing repeats a Create behind our back.

import { UserError } from '../core/errors.ts';
import type { JobSnapshot } from '../core/job.ts';
import type { Logger } from '../core/log.ts';
import type { CreateCustomJobRequestJson } from '../core/request.ts';
import { CREATE_ATTEMPTS, createRetryDelay } from '../core/follow-policy.ts';
import { abortableSleep, createOnce, listOnce, withReadRetries, type Sleep } from './calls.ts';
import type { VertexConnection } from './connection.ts';
import { codeName, isTransientCreate, rpcFailure, rpcUserError } from './status.ts';

export interface SubmitOptions {
  launchLabel: { key: string; value: string };
  log: Logger;
  /** Injected in tests; waits are scaled by the connection's time scale either way. */
  sleep?: Sleep;
}

export interface SubmitResult {
  job: JobSnapshot;
  /** true when the job existed before this call (found by the launch label), nothing was created. */
  reused: boolean;
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

  let existing: JobSnapshot[] = [];
  try {
    existing = await findOurs();
  } catch (e) {
    // Only an optimisation for re-runs; if listing is not allowed, Create will say why.
    log.warning(
      `Could not check for an earlier job with label ${label.key}=${label.value}: ${(e as Error).message}`,
    );
  }
  const earlier = pick(existing, label, log);
  if (earlier) {
    log.info(
      `Vertex AI job ${earlier.name} already exists for this step attempt; following it instead of creating another.`,
    );
    return { job: earlier, reused: true };
  }

  for (let attempt = 1; ; attempt++) {
    try {
      const job = await createOnce(conn, clientRequest);
      log.info(`Created Vertex AI job ${job.name}.`);
      return { job, reused: false };
    } catch (e) {
      if (!isTransientCreate(e)) throw rpcUserError('submit', 'CreateCustomJob', e);
      const code = codeName(rpcFailure(e).code);
      log.warning(
        `CreateCustomJob failed with ${code} (attempt ${attempt} of ${CREATE_ATTEMPTS}); ` +
          `checking whether the job was created anyway.`,
      );
      // Wait first: a job whose Create response was lost may take a moment to show in List.
      await sleep(createRetryDelay(attempt) * conn.timeScale);
      let found: JobSnapshot | undefined;
      try {
        found = pick(await findOurs(), label, log);
      } catch (listError) {
        throw new UserError(
          'submit',
          `CreateCustomJob failed with ${code} and the job could not be looked up afterwards ` +
            `(${(listError as Error).message}). A job may exist: look for label ${label.key}=${label.value} ` +
            'in the Vertex AI console before re-running, or re-run this step attempt to pick it up.',
        );
      }
      if (found) {
        log.info(`The job was created despite the error: ${found.name}.`);
        return { job: found, reused: false };
      }
      if (attempt >= CREATE_ATTEMPTS) {
        throw rpcUserError(
          'submit',
          'CreateCustomJob',
          e,
          `(${attempt} attempts; no job with label ${label.key}=${label.value} exists, so none was created).`,
        );
      }
    }
  }
}
