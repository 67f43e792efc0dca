// A pull request from a fork launches nothing unless `allow-fork-pull-requests: true`: its code
// would run as this repository's Google Cloud identity, with its W&B key. The step succeeds with
// a warning and a job summary saying what a maintainer can do; no check run is created, so a
// required training check keeps such a pull request waiting for a maintainer.
import type { LaunchContext } from '../context.ts';
import { forkHeadOf, readEventPayload } from '../github/run-info.ts';
import { actionLog as log, writeJobSummary } from '../github/runtime.ts';
import { quoted } from '../core/quote.ts';

/** What to do about a fork's pull request, for the log and the job summary. */
export function forkRefusal(head: string, repository: string): string[] {
  return [
    `This pull request comes from a fork (${quoted(head)}), not from a branch of ${repository}. ` +
      "Its code would run with this repository's Google Cloud identity and W&B key, so nothing " +
      'was built or launched (allow-fork-pull-requests is false).',
    'To train it:',
    '- after reviewing the change, a maintainer pushes its commit to a branch of this repository, ' +
      'or runs the workflow on it with workflow_dispatch;',
    '- or gate it with a label: a `pull_request_target` workflow (types: [labeled]) that checks out ' +
      'exactly the reviewed `github.event.pull_request.head.sha` and sets ' +
      "`allow-fork-pull-requests: true`; it runs with this repository's secrets, so a new push " +
      'must need a new review (remove the label on `synchronize`);',
    '- or set `allow-fork-pull-requests: true` on this step, to launch every fork pull request.',
  ];
}

/** true when this is a fork's pull request that must not launch (said in the log and summary). */
export async function refuseForkPullRequest(
  ctx: LaunchContext,
  env: NodeJS.ProcessEnv,
): Promise<boolean> {
  if (ctx.allowForkPullRequests) return false;
  const repository = env.GITHUB_REPOSITORY ?? '';
  const head = forkHeadOf(readEventPayload(env.GITHUB_EVENT_PATH), repository);
  if (head === undefined) return false;
  const [why, ...what] = forkRefusal(head, repository);
  log.warning(why);
  for (const line of what) log.info(line);
  if (ctx.reporting.jobSummary)
    await writeJobSummary(`### Vertex AI: not launched\n\n⚠️ ${why}\n\n${what.join('\n')}\n`);
  return true;
}
