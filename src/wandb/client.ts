// GraphQL over HTTPS to W&B, as the wandb SDK sends it: POST {base}/graphql, HTTP basic auth
// with user `api` and the API key as password. Failures come back as WandbError, classified so
// the caller knows whether trying again can help. The key is never part of a message.

import { errorMessage } from '../core/errors.ts';

export type WandbFailure =
  /** 401/403: the key is wrong, revoked, or may not read this. */
  | 'refused'
  /** No answer: DNS, connection, TLS, timeout. */
  | 'unreachable'
  /** 429 and 5xx. */
  | 'unavailable'
  /** Another HTTP status, or an answer that is not GraphQL. */
  | 'http'
  /** A GraphQL `errors` answer without data. */
  | 'graphql';

export class WandbError extends Error {
  readonly failure: WandbFailure;
  readonly status?: number;

  constructor(failure: WandbFailure, message: string, status?: number) {
    super(message);
    this.name = 'WandbError';
    this.failure = failure;
    this.status = status;
  }

  /** Worth another try a little later. */
  get transient(): boolean {
    return this.failure === 'unreachable' || this.failure === 'unavailable';
  }
}

export interface WandbClientOptions {
  /** The API's base URL (`wandb-base-url`), e.g. https://api.wandb.ai. */
  baseUrl: string;
  apiKey: string;
  /** Per request. Default 30 s. */
  timeoutMs?: number;
}

export interface WandbClient {
  readonly baseUrl: string;
  request<T>(operationName: string, query: string, variables?: Record<string, unknown>): Promise<T>;
  /**
   * A file W&B points at (an artifact file's `directUrl`): usually a signed storage URL. The
   * key goes with the download only when the file is on the W&B server itself.
   */
  download(url: string): Promise<string>;
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return cause.code;
  if ((err as Error)?.name === 'TimeoutError') return 'timed out';
  return cause?.message ?? errorMessage(err);
}

/** The first GraphQL error messages, short. */
function graphqlMessages(errors: unknown): string {
  if (!Array.isArray(errors) || errors.length === 0) return 'no data in the answer';
  return errors
    .slice(0, 3)
    .map((e) => String((e as { message?: unknown })?.message ?? JSON.stringify(e)).slice(0, 300))
    .join('; ');
}

/** The data of a GraphQL answer, or the WandbError it stands for. */
function graphqlData<T>(endpoint: string, operationName: string, status: number, body: string): T {
  if (status === 401 || status === 403) {
    throw new WandbError(
      'refused',
      `${endpoint} refused the wandb-api-key (HTTP ${status})`,
      status,
    );
  }
  if (status === 429 || status >= 500) {
    throw new WandbError('unavailable', `${endpoint} answered HTTP ${status}`, status);
  }
  let parsed: { data?: T | null; errors?: unknown } | undefined;
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== 'object') {
    throw new WandbError(
      'http',
      `${endpoint} answered HTTP ${status} without GraphQL JSON (is wandb-base-url the API's address?)`,
      status,
    );
  }
  // A field that failed answers null beside its error: with nothing else answered, the
  // request failed (a mutation on a queue W&B does not have, say).
  const answered = Object.values(parsed.data ?? {}).some((v) => v !== null);
  if (parsed.data === undefined || parsed.data === null || (!answered && parsed.errors)) {
    throw new WandbError(
      status >= 400 ? 'http' : 'graphql',
      `${operationName}: ${graphqlMessages(parsed.errors)}${status >= 400 ? ` (HTTP ${status})` : ''}`,
      status,
    );
  }
  return parsed.data;
}

/** A download's failure status as a WandbError. */
function downloadError(target: URL, status: number): WandbError {
  return new WandbError(
    status === 429 || status >= 500
      ? 'unavailable'
      : status === 401 || status === 403
        ? 'refused'
        : 'http',
    `downloading ${target.pathname} from ${target.host} answered HTTP ${status}`,
    status,
  );
}

export function wandbClient(opts: WandbClientOptions): WandbClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const endpoint = `${base}/graphql`;
  const authorization = `Basic ${Buffer.from(`api:${opts.apiKey}`).toString('base64')}`;
  const headers = { 'user-agent': 'wb-vertex-launch' };
  return {
    baseUrl: base,
    async download(url: string) {
      let target: URL;
      try {
        target = new URL(url, `${base}/`);
      } catch {
        throw new WandbError('http', 'the file URL W&B gave is not a URL');
      }
      const own = target.origin === new URL(base).origin;
      let response: Response;
      try {
        response = await fetch(target, {
          headers: own ? { ...headers, authorization } : headers,
          signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
        });
      } catch (err) {
        throw new WandbError(
          'unreachable',
          `cannot download from ${target.host} (${causeOf(err)})`,
        );
      }
      if (response.ok) return response.text();
      throw downloadError(target, response.status);
    },
    async request<T>(
      operationName: string,
      query: string,
      variables: Record<string, unknown> = {},
    ) {
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: {
            ...headers,
            authorization,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify({ query, variables, operationName }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
        });
      } catch (err) {
        throw new WandbError('unreachable', `cannot reach ${endpoint} (${causeOf(err)})`);
      }
      const body = await response.text().catch(() => '');
      return graphqlData<T>(endpoint, operationName, response.status, body);
    },
  };
}
