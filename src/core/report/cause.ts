// A failed job's cause, the first thing under the headline in every report (check run, job
// summary, PR comment entry): Vertex AI's error, then the failing replica's last lines. The
// job's details follow it.
import { errorBlock } from './details.ts';
import { logTailBlock } from './log-excerpt.ts';
import type { LaunchReport } from './model.ts';

/** '' for a job without an error or log excerpt. */
export function causeSection(report: LaunchReport): string {
  return [errorBlock(report), logTailBlock(report)].filter(Boolean).join('\n\n');
}
