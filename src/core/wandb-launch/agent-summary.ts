// What one agent pass did with each queue item, for the job summary and the
// `wandb-run-queue-items` output: launched (the job, its links), failed (at which stage, and
// why) or skipped (another agent took it). Item names and reasons are quoted text.
import { code, link, table, text, truncateChars } from '../report/format.ts';

export type ItemState = 'launched' | 'failed' | 'skipped';

export interface ItemOutcome {
  itemId: string;
  itemNumber: string;
  state: ItemState;
  /** The run's display name, or the item's name. */
  title?: string;
  image?: string;
  jobName?: string;
  jobState?: string;
  consoleUrl?: string;
  wandbRunUrl?: string;
  /** Failed: the stage reported to W&B, and the reason. Skipped: why. */
  stage?: 'agent' | 'build' | 'run';
  reason?: string;
}

/** The `wandb-run-queue-items` output: `[{item, job-name, state}]`. */
export function itemsOutput(outcomes: ItemOutcome[]): string {
  return JSON.stringify(
    outcomes.map((o) => ({ item: o.itemId, 'job-name': o.jobName ?? null, state: o.state })),
  );
}

const MAX_REASON = 300;

function what(o: ItemOutcome): string {
  const reason = o.reason ? text(truncateChars(o.reason, MAX_REASON)) : '';
  if (o.state === 'launched') {
    const job = o.jobName ? link(o.jobName.split('/').pop() ?? o.jobName, o.consoleUrl) : '';
    const state = o.jobState ? ` ${code(o.jobState.replace(/^JOB_STATE_/, ''))}` : '';
    return `launched ${job}${state}${reason ? `: ${reason}` : ''}`;
  }
  if (o.state === 'skipped') return `skipped: ${reason}`;
  return `failed at stage ${code(o.stage ?? 'agent')}: ${reason}`;
}

/** The summary of the pass over `queue` (`ENTITY/QUEUE`). */
export function renderAgentSummary(queue: string, outcomes: ItemOutcome[]): string {
  const count = (state: ItemState) => outcomes.filter((o) => o.state === state).length;
  const lines = [
    `### W&B Launch queue ${code(queue)}`,
    `${outcomes.length} item${outcomes.length === 1 ? '' : 's'} taken: ` +
      `**${count('launched')} launched**, ${count('failed')} failed, ${count('skipped')} skipped.`,
    table(
      ['Item', 'Run', 'Image', 'Outcome', 'W&B'],
      outcomes.map((o) => [
        code(o.itemNumber),
        o.title ? text(truncateChars(o.title, 80)) : '—',
        o.image ? code(truncateChars(o.image, 100)) : '—',
        what(o),
        o.wandbRunUrl ? link('run', o.wandbRunUrl) : '—',
      ]),
    ),
  ];
  return lines.join('\n\n') + '\n';
}
