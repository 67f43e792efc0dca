// The renderings of a launch report: the job summary and the check run's output (the PR
// comment, which holds several launches, is in comment.ts). Sizes follow GitHub's limits:
// 1 MiB per step summary, 65535 characters per check-run summary/text.

import { attemptsSection, capacityWaitNote } from './attempts.ts';
import { causeSection } from './cause.ts';
import { detachedNote, detailsTable, poolsSection, requestDetails } from './details.ts';
import { text, truncateChars, utf8Length } from './format.ts';
import { metricsSection } from './metrics-table.ts';
import type { LaunchReport } from './model.ts';
import { fullExcerptBlock } from './log-excerpt.ts';
import { headline } from './outcome.ts';
import { CHECK_RUN_TEXT_MAX_CHARS, type CheckRunOutput } from './check-run-types.ts';

/** Default budget for the job summary: under the 1 MiB step limit, with room for others' lines. */
export const SUMMARY_MAX_BYTES = 1024 * 1024 - 16 * 1024;

export interface RenderOptions {
  /** Lets a running job show how long it has run; renderers never read the clock themselves. */
  now?: Date;
}

function joinBlocks(blocks: string[]): string {
  return blocks.filter((b) => b !== '').join('\n\n');
}

/**
 * The job summary: a failed job's cause first, then details, metrics, pools, every log line
 * and the resolved request (truncated to fit `maxBytes`).
 */
export function renderSummaryMarkdown(
  report: LaunchReport,
  options: RenderOptions & { maxBytes?: number } = {},
): string {
  const maxBytes = options.maxBytes ?? SUMMARY_MAX_BYTES;
  const head = joinBlocks([
    `### Vertex AI job: ${text(report.title)}`,
    headline(report, options.now),
    detachedNote(report),
    capacityWaitNote(report, options.now),
    causeSection(report),
    detailsTable(report, options.now),
    attemptsSection(report, options.now),
    metricsSection(report.metrics, 'mermaid'),
    poolsSection(report),
    fullExcerptBlock(report),
  ]);
  // Two newlines join the request to the head, one ends the document.
  const room = maxBytes - utf8Length(head) - 3;
  return joinBlocks([head, requestDetails(report.requestJson, room)]) + '\n';
}

/**
 * Check-run output: the headline as title; as summary a failed job's cause, then the details
 * table, metrics and pools; as text every log line and the request, folded.
 */
export function checkRunOutput(report: LaunchReport, options: RenderOptions = {}): CheckRunOutput {
  const summary = truncateChars(
    joinBlocks([
      `**${text(report.title)}**`,
      detachedNote(report),
      capacityWaitNote(report, options.now),
      causeSection(report),
      detailsTable(report, options.now),
      attemptsSection(report, options.now),
      metricsSection(report.metrics, 'sparkline'),
      poolsSection(report),
    ]),
    CHECK_RUN_TEXT_MAX_CHARS,
  );
  const excerpt = fullExcerptBlock(report, CHECK_RUN_TEXT_MAX_CHARS / 2);
  const room = CHECK_RUN_TEXT_MAX_CHARS - excerpt.length - 2;
  // requestDetails budgets in UTF-8 bytes, never fewer than UTF-16 units: a safe bound here.
  const body = truncateChars(
    joinBlocks([excerpt, requestDetails(report.requestJson, room)]),
    CHECK_RUN_TEXT_MAX_CHARS,
  );
  return {
    title: truncateChars(headline(report, options.now), 255),
    summary,
    ...(body ? { text: body } : {}),
  };
}
