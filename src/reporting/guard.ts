// Every GitHub call goes through here, so that reporting never breaks a launch: transient
// failures (5xx, 429, rate-limit 403s, network errors) are retried a few times with short,
// bounded backoff; a refusal (401/403/404) disables the channel with ONE warning naming
// the permission to add; anything else is a warning. Nothing is ever thrown to the caller.

import type { Logger } from '../core/log.ts';
import { DEFAULT_JITTER, jitter, type DelaySchedule } from '../core/retry.ts';
import { retry, scaledSleep } from '../retry/index.ts';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  /** Upper bound of any one wait, Retry-After included. */
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): spreads the backoff waits (not Retry-After's); Math.random unless said. */
  random?: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 10_000 };

/** One reporting channel (check run, PR comment): its name, the permission it needs, whether it is still on. */
export class Channel {
  readonly label: string;
  readonly permission: string;
  disabled = false;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(label: string, permission: string) {
    this.label = label;
    this.permission = permission;
  }

  /** Runs channel operations one after another, so a slow create is never overtaken by an update. */
  serialize(op: () => Promise<void>): Promise<void> {
    const next = this.chain.then(op, op);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

interface HttpLikeError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined> };
}

function statusOf(e: unknown): number | undefined {
  const s = (e as HttpLikeError)?.status;
  return typeof s === 'number' ? s : undefined;
}

function header(e: unknown, name: string): string | undefined {
  return (e as HttpLikeError)?.response?.headers?.[name];
}

function isRateLimited(e: unknown): boolean {
  return header(e, 'retry-after') !== undefined || header(e, 'x-ratelimit-remaining') === '0';
}

function isTransient(e: unknown): boolean {
  const status = statusOf(e);
  if (status === undefined) return true; // no HTTP answer at all
  return status >= 500 || status === 429 || (status === 403 && isRateLimited(e));
}

function isRefusal(e: unknown): boolean {
  const status = statusOf(e);
  return status === 401 || status === 404 || (status === 403 && !isRateLimited(e));
}

/**
 * Retry-After (seconds or an HTTP date) as GitHub says; otherwise exponential backoff,
 * jittered. Either way the wait is bounded.
 */
function retrySchedule(policy: RetryPolicy): DelaySchedule {
  return (failures, e) => {
    const after = header(e, 'retry-after');
    if (after !== undefined) {
      const seconds = Number(after);
      const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(after) - Date.now();
      if (Number.isFinite(ms)) return Math.min(Math.max(0, ms), policy.maxDelayMs);
    }
    const backoff = Math.min(policy.baseDelayMs * 2 ** (failures - 1), policy.maxDelayMs);
    // Jitter keeps the mean; only at the cap does the bound trim it.
    return Math.min(
      jitter(backoff, DEFAULT_JITTER, policy.random ?? Math.random),
      policy.maxDelayMs,
    );
  };
}

export class GitHubCallGuard {
  private readonly log: Logger;
  private readonly policy: RetryPolicy;
  private readonly secret?: string;

  constructor(log: Logger, policy: RetryPolicy, secret?: string) {
    this.log = log;
    this.policy = policy;
    this.secret = secret;
  }

  // Octokit does not put the token in messages; scrub anyway, a warning must never leak it.
  private describe(e: unknown): string {
    const status = statusOf(e);
    const message = ((e as HttpLikeError)?.message ?? String(e)).split('\n')[0];
    const scrubbed = this.secret ? message.split(this.secret).join('***') : message;
    return status !== undefined ? `HTTP ${status}: ${scrubbed}` : scrubbed;
  }

  /**
   * Runs `fn` for `channel`; returns its result, or undefined when the channel is off or the
   * call failed (after retries). `what` completes "Could not ..." in warnings.
   */
  async call<T>(channel: Channel, what: string, fn: () => Promise<T>): Promise<T | undefined> {
    if (channel.disabled) return undefined;
    try {
      return await retry(fn, {
        retryable: (e) => !isRefusal(e) && isTransient(e),
        schedule: retrySchedule(this.policy),
        budget: { attempts: this.policy.retries + 1 },
        onRetry: (e, failures, delay) =>
          this.log.debug(
            `GitHub: ${what} failed (${this.describe(e)}); retry ${failures} in ${Math.round(delay)} ms`,
          ),
        sleep: this.policy.sleep ?? scaledSleep(),
      });
    } catch (e) {
      if (isRefusal(e)) {
        channel.disabled = true;
        this.log.warning(
          `GitHub refused to ${what} (${this.describe(e)}). Give the workflow job ` +
            `\`permissions: ${channel.permission}\` (and a github-token that may use it) to get the ${channel.label}; ` +
            `it is skipped for the rest of this run. The launch itself is not affected.`,
        );
        return undefined;
      }
      this.log.warning(
        `Could not ${what}: ${this.describe(e)}. The launch itself is not affected.`,
      );
      return undefined;
    }
  }
}
