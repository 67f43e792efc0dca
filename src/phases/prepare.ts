// Everything about one launch that is decided before any call: the GitHub run it belongs to,
// the leg of the workflow job, the W&B run id, the label unique to this execution, and how to
// compile its request.
import { randomBytes } from 'node:crypto';
import type { LaunchContext } from '../context.ts';
import { LABEL, launchIdValue, legOf } from '../core/launch-identity.ts';
import type { Leg } from '../core/launch-identity.ts';
import { compileQueueConfig } from '../core/queue-config/compile.ts';
import type { CompileResult } from '../core/queue-config/compile.ts';
import type { GitHubRunInfo } from '../core/queue-config/template-values.ts';
import { generateWandbRunId } from '../core/wandb.ts';
import { githubRunInfoFromEnv } from '../github/run-info.ts';

export interface PreparedLaunch {
  github: GitHubRunInfo;
  leg: Leg;
  wandbRunId: string;
  /** The label no other execution of any step carries: each execution submits its own job. */
  launchLabel: { key: string; value: string };
  /** `project` stands in for the `project` input (e.g. the credentials' project). */
  compile(
    image: { uri: string; input: 'image' | 'registry' } | undefined,
    project?: string,
  ): CompileResult;
}

/** A fresh launch id: matrix legs, reuses in one job and re-run attempts each get their own. */
export function newLaunchLabel(github: GitHubRunInfo): { key: string; value: string } {
  return { key: LABEL.launchId, value: launchIdValue(github, randomBytes(5).toString('hex')) };
}

export function prepareLaunch(
  ctx: LaunchContext,
  env: NodeJS.ProcessEnv,
  now: () => Date = () => new Date(),
): PreparedLaunch {
  const github = githubRunInfoFromEnv(env);
  const leg = legOf(ctx.matrix, github.step);
  const wandbRunId = generateWandbRunId(randomBytes);
  const launchLabel = newLaunchLabel(github);
  const startedAt = now();
  return {
    github,
    leg,
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
        leg: leg.label,
        launchId: launchLabel.value,
        follow: { wait: ctx.wait, timeoutSeconds: ctx.waitTimeoutSeconds },
        wandbLaunch: ctx.wandbLaunch.parts,
        // One clock reading, so the check compile and the final one agree on defaults.
        now: startedAt,
      }),
  };
}
