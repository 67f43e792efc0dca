// The GitHub run a launch belongs to, from the runner's GITHUB_* variables.
import type { GitHubRunInfo } from '../core/queue-config/template-values.ts';

export function githubRunInfoFromEnv(env: NodeJS.ProcessEnv): GitHubRunInfo {
  const get = (name: string) => env[name] || undefined;
  return {
    repository: get('GITHUB_REPOSITORY'),
    sha: get('GITHUB_SHA'),
    ref: get('GITHUB_REF'),
    runId: get('GITHUB_RUN_ID'),
    runAttempt: get('GITHUB_RUN_ATTEMPT'),
    runNumber: get('GITHUB_RUN_NUMBER'),
    workflow: get('GITHUB_WORKFLOW'),
    job: get('GITHUB_JOB'),
    actor: get('GITHUB_ACTOR'),
  };
}
