// gRPC failures from the JobService client: which ones are worth retrying, and how to tell a
// user what went wrong and what to do about it. Reading a failure's code and message is
// src/grpc/status.ts's, shared with Cloud Logging.

import type { CapacityFailure } from '../core/capacity.ts';
import { UserError, type Phase } from '../core/errors.ts';
import { codeName, isCredentialFailure, rpcFailure, type CodeName } from '../grpc/status.ts';

/**
 * Failures where the request may never have reached Vertex, or Vertex may succeed on a retry.
 * A failure to obtain credentials surfaces as UNAVAILABLE from grpc-js but is not transient.
 */
const TRANSIENT_READ = new Set([
  'UNAVAILABLE',
  'DEADLINE_EXCEEDED',
  'INTERNAL',
  'UNKNOWN',
  'ABORTED',
  'RESOURCE_EXHAUSTED',
]);
/** RESOURCE_EXHAUSTED is left out for Create: there it is a training quota, not a brief overload. */
const TRANSIENT_CREATE = new Set([
  'UNAVAILABLE',
  'DEADLINE_EXCEEDED',
  'INTERNAL',
  'UNKNOWN',
  'ABORTED',
]);

export function isTransientRead(e: unknown): boolean {
  const f = rpcFailure(e);
  return f.code !== undefined && TRANSIENT_READ.has(codeName(f.code)) && !isCredentialFailure(f);
}

export function isTransientCreate(e: unknown): boolean {
  const f = rpcFailure(e);
  return f.code !== undefined && TRANSIENT_CREATE.has(codeName(f.code)) && !isCredentialFailure(f);
}

const HINTS: Partial<Record<CodeName, string>> = {
  INVALID_ARGUMENT:
    'Check the queue config against the resolved request (the request-file output).',
  PERMISSION_DENIED:
    'The credentials need roles/aiplatform.user (aiplatform.customJobs.*) on the project, and ' +
    "iam.serviceAccounts.actAs on the job's service account if run.service_account is set.",
  UNAUTHENTICATED:
    'The access token was not accepted: check workload-identity-provider and service-account, ' +
    'or the step that set up Application Default Credentials.',
  RESOURCE_EXHAUSTED:
    'A Vertex AI quota is exhausted in this region: request more quota, or pick another region or machine type.',
  NOT_FOUND: 'Check the project and region (the endpoint must be the region of the job).',
  FAILED_PRECONDITION:
    'Check that the Vertex AI API is enabled and the project is set up for training.',
  UNAVAILABLE:
    'Vertex AI could not be reached; check vertex-endpoint and the network, then re-run.',
  DEADLINE_EXCEEDED: 'Vertex AI did not answer in time; re-run the step.',
  UNIMPLEMENTED: 'The endpoint does not serve the Vertex AI JobService; check vertex-endpoint.',
};

/** A UserError naming the call, the gRPC code, Vertex's own message and what to do. */
export function rpcUserError(phase: Phase, call: string, e: unknown, extra?: string): UserError {
  const f = rpcFailure(e);
  // No gRPC code: the client failed before a call was made (credentials, universe mismatch).
  const name = f.code === undefined ? 'a client error' : codeName(f.code);
  const hint = isCredentialFailure(f)
    ? 'Credentials could not be obtained for the Vertex AI call; check the auth inputs.'
    : HINTS[name as CodeName];
  const message = [`Vertex AI ${call} failed with ${name}: ${f.details}`, extra, hint]
    .filter(Boolean)
    .join(' ');
  return new UserError(phase, message);
}

/** CreateCustomJob refused for the region's capacity (a regional quota): another region may take it. */
export class CapacityError extends UserError {
  readonly capacity: CapacityFailure;

  constructor(error: UserError, capacity: CapacityFailure) {
    super(error.phase, error.message, error.problems);
    this.name = 'CapacityError';
    this.capacity = capacity;
  }
}
