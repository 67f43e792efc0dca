// The renderings of a launch report: the job summary and the check run's output (the PR
// comment, which holds several launches, is in comment.ts). Sizes follow GitHub's limits:
// 1 MiB per step summary, 65535 characters per check-run summary/text.

import { attemptsSection, capacityWaitNote } from './attempts.ts';
import { detachedNote, detailsTable, errorBlock, poolsTable, requestDetails } from './details.ts';
import { text, truncateChars, utf8Length } from './format.ts';
import { metricsSection } from './metrics-table.ts';
import type { LaunchReport } from './model.ts';
import { logExcerptBlock } from './log-excerpt.ts';
import { headline } from './outcome.ts';

/** Default budget for the job summary: under the 1 MiB step limit, with room for others' lines. */
export const SUMMARY_MAX_BYTES = 1024 * 1024 - 16 * 1024;
export const CHECK_RUN_TEXT_MAX_CHARS = 65535;

export interface RenderOptions {
  /** Lets a running job show how long it has run; renderers never read the clock themselves. */
  now?: Date;
}

function joinBlocks(blocks: string[]): string {
  return blocks.filter((b) => b !== '').join('\n\n');
}

function poolsSection(report: LaunchReport): string {
  const pools = poolsTable(report.pools);
  return pools ? `**Worker pools**\n\n${pools}` : '';
}

/** The job summary: details, pools, error and the resolved request (truncated to fit `maxBytes`). */
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
    detailsTable(report, options.now),
    attemptsSection(report, options.now),
    metricsSection(report.metrics, 'mermaid'),
    poolsSection(report),
    errorBlock(report),
    logExcerptBlock(report),
  ]);
  // Two newlines join the request to the head, one ends the document.
  const room = maxBytes - utf8Length(head) - 3;
  return joinBlocks([head, requestDetails(report.requestJson, room)]) + '\n';
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
}

/** Check-run output: the headline as title, the details table as summary, the job's error (and request) as text. */
export function checkRunOutput(report: LaunchReport, options: RenderOptions = {}): CheckRunOutput {
  const summary = truncateChars(
    joinBlocks([
      `**${text(report.title)}**`,
      detachedNote(report),
      capacityWaitNote(report, options.now),
      detailsTable(report, options.now),
      attemptsSection(report, options.now),
      metricsSection(report.metrics, 'sparkline'),
      poolsSection(report),
    ]),
    CHECK_RUN_TEXT_MAX_CHARS,
  );
  const error = joinBlocks([
    errorBlock(report),
    logExcerptBlock(report, CHECK_RUN_TEXT_MAX_CHARS / 2),
  ]);
  const room = CHECK_RUN_TEXT_MAX_CHARS - error.length - 2;
  // requestDetails budgets in UTF-8 bytes, never fewer than UTF-16 units: a safe bound here.
  const body = truncateChars(
    joinBlocks([error, requestDetails(report.requestJson, room)]),
    CHECK_RUN_TEXT_MAX_CHARS,
  );
  return {
    title: truncateChars(headline(report, options.now), 255),
    summary,
    ...(body ? { text: body } : {}),
  };
}
