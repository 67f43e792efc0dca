// Launching one acked queue item: its Vertex args compiled with the action's compiler (the
// item's image as `${image_uri}`, its run's id, name and place, W&B Launch's command, variables
// and labels), its check run opened on the workflow's commit, the job created exactly once.
// A config the compiler refuses or a Create Vertex refuses fails the item (stage agent).
import { randomBytes } from 'node:crypto';
import { errorMessage, UserError } from '../../core/errors.ts';
import { consoleUrl, type JobSnapshot } from '../../core/job.ts';
import { LABEL, launchIdValue } from '../../core/launch-identity.ts';
import { compileQueueConfig, withLabels } from '../../core/queue-config/compile.ts';
import type { ItemOutcome } from '../../core/wandb-launch/agent-summary.ts';
import { itemParts } from '../../core/wandb-launch/launch-parts.ts';
import { queueOrigin } from '../../core/wandb-launch/queue-config.ts';
import type { QueueItem } from '../../core/wandb-launch/run-spec.ts';
import { createReporter, githubRunContextFromEnv } from '../../reporting/index.ts';
import { submitCustomJob, type VertexConnection } from '../../vertex/index.ts';
import { LaunchProgress } from '../progress.ts';
import { baseReport } from '../report.ts';
import { ItemFailure } from './failure.ts';
import type { AgentPass } from './pass.ts';

export interface LaunchedItem {
  outcome: ItemOutcome;
  job: JobSnapshot;
  vertex: VertexConnection;
  progress: LaunchProgress;
}

export interface ItemResult {
  outcome: ItemOutcome;
  /** The launched job, followed later when the pass waits. */
  launched?: LaunchedItem;
}

function compileItem(
  pass: AgentPass,
  item: QueueItem,
  launch: { image: string; entrypoint?: string[]; runId: string; project?: string },
) {
  const { ctx, queue } = pass;
  const wandb = {
    ...ctx.wandb,
    ...(item.entity ? { entity: item.entity } : {}),
    ...(item.project ? { project: item.project } : {}),
    ...(item.apiKey ? { apiKey: item.apiKey } : {}),
  };
  const result = compileQueueConfig({
    source: {
      text: JSON.stringify(item.vertexArgs),
      origin: `${queueOrigin(queue)} item ${item.itemNumber}`,
      unlocated: true,
    },
    project: launch.project,
    region: ctx.region || undefined,
    image: launch.image,
    imageInput: 'image',
    vars: ctx.vars,
    env: ctx.env,
    labels: ctx.labels,
    displayName: item.name ?? `${queue.entity}/${queue.name} item ${item.itemNumber}`,
    wandb,
    wandbRunId: launch.runId,
    github: pass.github,
    launchId: launchIdValue(pass.github, randomBytes(5).toString('hex')),
    follow: { wait: ctx.wait ?? true, timeoutSeconds: ctx.waitTimeoutSeconds },
    wandbLaunch: itemParts(item, queue, launch.entrypoint),
    now: new Date(),
  });
  if (!result.ok)
    throw new UserError('queue-config', "the item's config is not valid", result.problems);
  return result.launch;
}

export async function submitItem(
  pass: AgentPass,
  item: QueueItem,
  launch: { image: string; entrypoint?: string[]; runId: string },
): Promise<ItemResult> {
  const { ctx, env } = pass;
  const credentials = await pass.credentials();
  const compiled = compileItem(pass, item, {
    ...launch,
    project: ctx.project ?? credentials?.projectId,
  });
  for (const secret of compiled.secrets) pass.io.mask(secret);
  const title = compiled.request.customJob.displayName;
  const reporter = createReporter({
    run: githubRunContextFromEnv(env),
    settings: ctx.reporting,
    log: pass.log,
    checkName: item.name
      ? `Vertex AI: ${title} (W&B queue item ${item.itemNumber})`
      : `Vertex AI: ${title}`,
    leg: { key: `wandb-run-queue-item-${item.itemNumber}`, label: `item ${item.itemNumber}` },
  });
  const image = { uri: launch.image, input: 'image' as const };
  const progress = new LaunchProgress(reporter, baseReport(compiled, image, false), false);
  const wait = ctx.wait ?? true;
  try {
    const checkRunId = await progress.opening();
    const labelled =
      checkRunId === undefined
        ? compiled
        : withLabels(compiled, { [LABEL.checkRun]: String(checkRunId) });
    const vertex = await pass.vertex(compiled.region, compiled.project);
    const launchLabel = labelled.request.customJob.labels?.[LABEL.launchId] ?? '';
    const { job } = await submitCustomJob(vertex, labelled.request, {
      launchLabel: { key: LABEL.launchId, value: launchLabel },
      log: pass.log,
    });
    await progress.submitted(job, wait);
    if (!wait) await progress.finish(job, {});
    const outcome: ItemOutcome = {
      itemId: item.itemId,
      itemNumber: item.itemNumber,
      state: 'launched',
      title,
      image: launch.image,
      jobName: job.name,
      jobState: job.state,
      consoleUrl: consoleUrl(compiled.region, job.id, compiled.project),
      ...(compiled.wandbRunUrl ? { wandbRunUrl: compiled.wandbRunUrl } : {}),
    };
    return { outcome, launched: { outcome, job, vertex, progress } };
  } catch (err) {
    const message = errorMessage(err);
    await progress.failed(message);
    throw err instanceof UserError ? new ItemFailure('agent', message) : err;
  }
}
