// Everything about one launch that is decided before any call: the GitHub run it belongs to,
// the W&B run id, the label that makes its job findable again, and how to compile its request.
import { createHash, randomBytes } from 'node:crypto';
import type { LaunchContext } from '../context.ts';
import { toLabelValue } from '../core/labels.ts';
import { compileQueueConfig } from '../core/queue-config/compile.ts';
import type { CompileResult } from '../core/queue-config/compile.ts';
import type { GitHubRunInfo } from '../core/queue-config/template-values.ts';
import { generateWandbRunId } from '../core/wandb.ts';
import { githubRunInfoFromEnv } from '../github/run-info.ts';

export const LAUNCH_LABEL_KEY = 'wb-vertex-launch-id';

export interface PreparedLaunch {
  github: GitHubRunInfo;
  wandbRunId: string;
  launchLabel: { key: string; value: string };
  /** `project` stands in for the `project` input (e.g. the credentials' project). */
  compile(
    image: { uri: string; input: 'image' | 'registry' } | undefined,
    project?: string,
  ): CompileResult;
}

/**
 * One value per workflow run, attempt and step: a re-run attempt launches anew, while a retry
 * inside the same step finds the job it already made.
 */
export function launchLabelValue(github: GitHubRunInfo, env: NodeJS.ProcessEnv): string {
  if (!github.runId) return toLabelValue(`local-${randomBytes(6).toString('hex')}`);
  const step = createHash('sha256')
    .update([github.repository, github.workflow, github.job, env.GITHUB_ACTION].join('\n'))
    .digest('hex')
    .slice(0, 12);
  return toLabelValue(`${github.runId}-${github.runAttempt ?? '1'}-${step}`);
}

export function prepareLaunch(
  ctx: LaunchContext,
  env: NodeJS.ProcessEnv,
  now: () => Date = () => new Date(),
): PreparedLaunch {
  const github = githubRunInfoFromEnv(env);
  const wandbRunId = generateWandbRunId(randomBytes);
  const launchLabel = { key: LAUNCH_LABEL_KEY, value: launchLabelValue(github, env) };
  const startedAt = now();
  return {
    github,
    wandbRunId,
    launchLabel,
    compile: (image, project) =>
      compileQueueConfig({
        source: ctx.queueConfig,
        project: project ?? ctx.project,
        region: ctx.region || undefined,
        image: image?.uri,
        imageInput: image?.input,
        vars: ctx.vars,
        env: ctx.env,
        labels: ctx.labels,
        displayName: ctx.displayName,
        wandb: ctx.wandb,
        wandbRunId,
        github,
        launchLabel,
        // One clock reading, so the check compile and the final one agree on defaults.
        now: startedAt,
      }),
  };
}
