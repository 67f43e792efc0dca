// `agent: true`: one pass of a W&B Launch agent over `wandb-queue`, for a scheduled workflow.
// Up to `agent-max-items` items are popped; a few workers take them at once (pop, ack, launch,
// each item on its own), so one slow or bad item never holds up or stops the others. With
// `wait`, the launched jobs are followed to their end and an item whose run never started is
// failed in W&B. The summary lists every item; an empty queue is a quiet success. The step
// fails only when the pass itself cannot work (W&B refusing the pop, say), never for an item:
// W&B shows those to whoever queued them.
import type { LaunchContext } from '../../context.ts';
import { UserError, errorMessage } from '../../core/errors.ts';
import {
  itemsOutput,
  renderAgentSummary,
  type ItemOutcome,
} from '../../core/wandb-launch/agent-summary.ts';
import { queueOrigin } from '../../core/wandb-launch/queue-config.ts';
import { setOutput, writeJobSummary } from '../../github/runtime.ts';
import { popRunQueueItem } from '../../wandb/index.ts';
import { wandbHint } from '../wandb-launch.ts';
import { followItems } from './follow-items.ts';
import { takeItem, type ItemResult } from './item.ts';
import { actionIo, startPass, type AgentIo, type AgentPass } from './pass.ts';

export type { AgentIo };

/** Items taken at the same time: enough to hide W&B's and Vertex's latency, few enough for quotas. */
export const AGENT_CONCURRENCY = 8;

/**
 * Pops and takes items until `max` are taken or the queue is empty; stops on a failed pop.
 * One worker pops first; each item it gets starts another (up to AGENT_CONCURRENCY), so an
 * empty queue costs one pop and a long one is taken several items at a time.
 */
async function drain(
  pass: AgentPass,
  max: number,
): Promise<{ results: ItemResult[]; error?: unknown }> {
  const results: ItemResult[] = [];
  const workers: Promise<void>[] = [];
  const limit = Math.min(max, AGENT_CONCURRENCY);
  let taken = 0;
  let active = 0;
  let done = false;
  let error: unknown;
  const startWorker = () => {
    if (done || active >= limit || taken >= max) return;
    active++;
    workers.push(worker().finally(() => active--));
  };
  const worker = async () => {
    while (!done && taken < max) {
      // Results keep the queue's order, whichever item finishes first.
      const slot = taken++;
      let popped;
      try {
        popped = await popRunQueueItem(pass.client, pass.queue);
      } catch (err) {
        error ??= err;
        done = true;
        return;
      }
      if (!popped) {
        done = true;
        return;
      }
      if (slot === 0) pass.warmUp();
      startWorker();
      results[slot] = await takeItem(pass, popped);
    }
  };
  startWorker();
  // Workers start workers: the list grows while the earlier ones are awaited.
  for (let i = 0; i < workers.length; i++) await workers[i];
  return { results: results.filter(Boolean), error };
}

function report(pass: AgentPass, outcomes: ItemOutcome[]): void {
  pass.io.printUntrusted(
    outcomes.map((o) => {
      const where = o.jobName ? ` ${o.jobName}` : '';
      const why = o.reason ? `: ${o.reason}` : '';
      return `W&B queue item ${o.itemNumber}: ${o.state}${o.stage ? ` (stage ${o.stage})` : ''}${where}${why}`;
    }),
  );
  const failed = outcomes.filter((o) => o.state === 'failed');
  if (failed.length > 0) {
    pass.log.warning(
      `${failed.length} of ${outcomes.length} W&B queue item(s) could not run and were failed in W&B (items ${failed.map((o) => o.itemNumber).join(', ')}); the summary says why.`,
    );
  }
}

/** One pass, wherever it runs: every item's outcome, and the error that stopped the pass. */
export async function runAgentPass(
  ctx: LaunchContext,
  env: NodeJS.ProcessEnv,
  io: AgentIo,
): Promise<{ outcomes: ItemOutcome[]; error?: UserError }> {
  const pass = startPass(ctx, env, io);
  const origin = queueOrigin(pass.queue);
  try {
    const { results, error } = await drain(pass, ctx.wandbLaunch.agentMaxItems);
    const outcomes = results.map((r) => r.outcome);
    if (outcomes.length === 0 && !error) {
      pass.log.info(`${origin} is empty: nothing to launch.`);
      return { outcomes };
    }
    const launched = results.flatMap((r) => (r.launched ? [r.launched] : []));
    if (launched.length > 0 && (ctx.wait ?? true)) await followItems(pass, launched);
    report(pass, outcomes);
    if (!error) return { outcomes };
    const message = `cannot pop from ${origin}: ${errorMessage(error)}.${wandbHint(error)}`;
    return { outcomes, error: new UserError('agent', message) };
  } finally {
    await pass.close();
  }
}

/** The action's `agent: true` step: the pass, its output and its job summary. */
export async function agentPass(ctx: LaunchContext, env: NodeJS.ProcessEnv): Promise<void> {
  const { outcomes, error } = await runAgentPass(ctx, env, actionIo(ctx, env));
  setOutput('wandb-run-queue-items', itemsOutput(outcomes));
  const queue = ctx.wandbLaunch.queue!;
  if (ctx.reporting.jobSummary && outcomes.length > 0)
    await writeJobSummary(renderAgentSummary(`${queue.entity}/${queue.name}`, outcomes));
  if (error) throw error;
}
