// A failed gRPC call as the Google client libraries (grpc-js, google-gax) report it: the status
// code by its google.rpc.Code name, and the server's own message. Shared by every gRPC client
// (Vertex AI, Cloud Logging).

/** google.rpc.Code names by number. */
const CODE_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

export type CodeName = (typeof CODE_NAMES)[number];

export function codeName(code: number | undefined): string {
  return code !== undefined && CODE_NAMES[code] ? CODE_NAMES[code] : `code ${String(code)}`;
}

export interface RpcFailure {
  code?: number;
  /** The server's message, without the client's `N CODE:` prefix. */
  details: string;
}

export function rpcFailure(e: unknown): RpcFailure {
  const err = e as { code?: unknown; details?: unknown; message?: unknown };
  const code = typeof err?.code === 'number' ? err.code : undefined;
  const details =
    typeof err?.details === 'string' && err.details
      ? err.details
      : String(err?.message ?? e).replace(/^\d+ [A-Z_]+: /, '');
  return { code, details };
}

/** Credentials could not be obtained: grpc-js reports it as UNAVAILABLE, but a retry will not help. */
export function isCredentialFailure(f: RpcFailure): boolean {
  return /Getting metadata from plugin failed/i.test(f.details);
}
