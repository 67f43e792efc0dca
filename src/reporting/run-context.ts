// Where this workflow run is: repository, commit, event, run and job, read once from the
// GITHUB_* variables and the event payload file.

import { headShaOf, pullRequestOf, readEventPayload } from '../github/run-info.ts';
import type { EventPayload } from '../github/run-info.ts';

export interface GitHubRunContext {
  apiUrl: string;
  serverUrl: string;
  /** `owner/repo` */
  repository: string;
  sha: string;
  eventName: string;
  /** The parsed GITHUB_EVENT_PATH file ({} when absent or unreadable). */
  eventPayload: EventPayload;
  runId: string;
  runAttempt: string;
  workflow: string;
  job: string;
  /** Workspace-relative path of the workflow file (from GITHUB_WORKFLOW_REF), where an inline queue config lives. */
  workflowFile?: string;
}

/** `owner/repo/.github/workflows/ci.yml@refs/heads/main` -> `.github/workflows/ci.yml`. */
export function workflowFileFromRef(
  ref: string | undefined,
  repository: string,
): string | undefined {
  if (!ref) return undefined;
  const withoutRef = ref.replace(/@[^@]*$/, '');
  const prefix = `${repository}/`;
  const file = withoutRef.startsWith(prefix)
    ? withoutRef.slice(prefix.length)
    : withoutRef.replace(/^[^/]+\/[^/]+\//, '');
  return file || undefined;
}

export function githubRunContextFromEnv(env: NodeJS.ProcessEnv): GitHubRunContext {
  const repository = env.GITHUB_REPOSITORY ?? '';
  return {
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    repository,
    sha: env.GITHUB_SHA ?? '',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    eventPayload: readEventPayload(env.GITHUB_EVENT_PATH),
    runId: env.GITHUB_RUN_ID ?? '',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
    workflow: env.GITHUB_WORKFLOW ?? '',
    job: env.GITHUB_JOB ?? '',
    workflowFile: workflowFileFromRef(env.GITHUB_WORKFLOW_REF, repository),
  };
}

/** The commit a check run belongs on: the PR head for pull_request(_target) events, else GITHUB_SHA. */
export function checkRunHeadSha(run: GitHubRunContext): string {
  return headShaOf(run.eventName, run.eventPayload, run.sha);
}

/** The pull request this run reports on, if any (pull_request events, and comments on a PR). */
export function pullRequestNumber(run: GitHubRunContext): number | undefined {
  return pullRequestOf(run.eventPayload);
}

export function splitRepository(
  run: GitHubRunContext,
): { owner: string; repo: string } | undefined {
  const m = /^([^/]+)\/([^/]+)$/.exec(run.repository);
  return m ? { owner: m[1], repo: m[2] } : undefined;
}

/** Link to this workflow run (and attempt). */
export function workflowRunUrl(run: GitHubRunContext): string | undefined {
  if (!run.repository || !run.runId) return undefined;
  const attempt = run.runAttempt && run.runAttempt !== '1' ? `/attempts/${run.runAttempt}` : '';
  return `${run.serverUrl}/${run.repository}/actions/runs/${run.runId}${attempt}`;
}
