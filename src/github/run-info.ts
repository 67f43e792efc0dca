// The GitHub run a launch belongs to, from the runner's GITHUB_* variables and the event
// payload file.
import { readFileSync } from 'node:fs';
import type { GitHubRunInfo } from '../core/queue-config/template-values.ts';

// The payload is whatever GitHub sent for the event; readers check each field they use.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventPayload = any;

/** The parsed GITHUB_EVENT_PATH file ({} when absent or unreadable). */
export function readEventPayload(path: string | undefined): EventPayload {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    // A missing or broken event file only costs the PR-specific parts, never the launch.
    return {};
  }
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

/** The pull request a run belongs to, if any (pull_request events, and comments on a PR). */
export function pullRequestOf(payload: EventPayload): number | undefined {
  const n =
    payload?.pull_request?.number ??
    (payload?.issue?.pull_request ? payload.issue.number : undefined);
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The branch a pull request merges into, from pull_request(_target) payloads. */
export function baseBranchOf(payload: EventPayload): string | undefined {
  const base = payload?.pull_request?.base?.ref;
  return typeof base === 'string' && base !== '' ? base : undefined;
}

/** The PR head for pull_request(_target) events (GITHUB_SHA is then a merge commit), else GITHUB_SHA. */
export function headShaOf(eventName: string, payload: EventPayload, sha: string): string {
  if (PR_EVENTS.has(eventName)) {
    const head = payload?.pull_request?.head?.sha;
    if (typeof head === 'string' && head !== '') return head;
  }
  return sha;
}

/**
 * The head repository of a pull request from a fork (`owner/repo`; `a deleted fork` when GitHub
 * no longer names it), or undefined for a pull request from this repository's own branches and
 * for events without a pull request.
 */
export function forkHeadOf(payload: EventPayload, repository: string): string | undefined {
  const pr = payload?.pull_request;
  if (!pr || typeof pr !== 'object') return undefined;
  const head = pr.head?.repo;
  // GitHub sends `repo: null` once the fork is deleted; a payload without it names no fork.
  if (head === null) return 'a deleted fork';
  if (typeof head?.full_name !== 'string') return undefined;
  const name: string = head.full_name;
  if (name.toLowerCase() !== repository.toLowerCase()) return name;
  const owner = repository.split('/')[0].toLowerCase();
  const headOwner = String(head.owner?.login ?? owner).toLowerCase();
  return head.fork === true && headOwner !== owner ? name : undefined;
}

function branchOf(env: NodeJS.ProcessEnv): string | undefined {
  if (env.GITHUB_HEAD_REF) return env.GITHUB_HEAD_REF;
  if (env.GITHUB_REF_NAME && !/^refs\/pull\//.test(env.GITHUB_REF ?? ''))
    return env.GITHUB_REF_NAME;
  const m = /^refs\/(?:heads|tags)\/(.+)$/.exec(env.GITHUB_REF ?? '');
  return m?.[1];
}

export function githubRunInfoFromEnv(
  env: NodeJS.ProcessEnv,
  payload: unknown = readEventPayload(env.GITHUB_EVENT_PATH),
): GitHubRunInfo {
  const get = (name: string) => env[name] || undefined;
  const sha = get('GITHUB_SHA');
  return {
    repository: get('GITHUB_REPOSITORY'),
    sha,
    ref: get('GITHUB_REF'),
    runId: get('GITHUB_RUN_ID'),
    runAttempt: get('GITHUB_RUN_ATTEMPT'),
    runNumber: get('GITHUB_RUN_NUMBER'),
    workflow: get('GITHUB_WORKFLOW'),
    job: get('GITHUB_JOB'),
    actor: get('GITHUB_ACTOR'),
    step: get('GITHUB_ACTION'),
    branch: branchOf(env),
    pr: pullRequestOf(payload),
    baseBranch: baseBranchOf(payload),
    headSha: sha ? headShaOf(env.GITHUB_EVENT_NAME ?? '', payload, sha) : undefined,
  };
}
