// A failed job's last log lines in the report: the last few shown right under the headline
// (the tail), all of them in a collapsed block for the job summary, check run and PR comment,
// and a check-run annotation with the line that names the error.

import type { CheckRunAnnotation } from './check-run-types.ts';
import { escapeHtml, fenced, truncateChars, truncateUtf8 } from './format.ts';
import type { LaunchReport, LogExcerpt } from './model.ts';

/**
 * Lines shown without a click: a traceback's last frames and its exception fit, and three
 * failed legs of a matrix still fit in one screen of the PR comment.
 */
export const LOG_TAIL_LINES = 10;

/** GitHub rejects annotation messages over 64 KB; one line is far below, this is a backstop. */
const MAX_MESSAGE_BYTES = 4 * 1024;

/**
 * `<details>` with the failing replica's last lines, the error line in its summary; '' when
 * there is no excerpt or it cannot fit in `maxChars`. The lines sit in a fenced block, so
 * nothing a job printed can become markdown or HTML.
 */
export function logExcerptBlock(report: LaunchReport, maxChars = Infinity): string {
  const excerpt = report.logExcerpt;
  if (!excerpt || excerpt.lines.length === 0) return '';
  const what = linesLabel(excerpt, excerpt.lines.length);
  const error = excerpt.errorLine ? `: ${inlineCode(truncateChars(excerpt.errorLine, 200))}` : '';
  const block = (lines: string[]) =>
    `<details><summary>${what}${error}</summary>\n\n${fenced(lines.join('\n'), 'text')}\n\n</details>`;
  let lines = excerpt.lines;
  // Too big for what is left of the document: drop the oldest lines, keep the error's end.
  while (lines.length > 0 && block(lines).length > maxChars) lines = lines.slice(1);
  return lines.length > 0 ? block(lines) : '';
}

/**
 * Quoted text inside one line of raw HTML (a `<summary>`): a line break in it could end the
 * HTML block and let the rest of the line be read as markdown.
 */
function inlineCode(s: string): string {
  return `<code>${escapeHtml(s.replace(/[\r\n]+/g, ' '))}</code>`;
}

/** `Last 10 log lines of <code>workerpool0-0</code>` (`Last` when earlier lines are not shown). */
function linesLabel(excerpt: LogExcerpt, shown: number): string {
  const last = excerpt.earlierLinesOmitted || shown < excerpt.lines.length ? 'Last ' : '';
  const replica = inlineCode(excerpt.replica);
  return `${last}${shown} log line${shown === 1 ? '' : 's'} of ${replica}`;
}

/**
 * The failing replica's last LOG_TAIL_LINES lines, unfolded: a label, then the lines in a
 * fenced block (nothing a job printed becomes markdown). '' without an excerpt.
 */
export function logTailBlock(report: LaunchReport): string {
  const excerpt = report.logExcerpt;
  if (!excerpt || excerpt.lines.length === 0) return '';
  const lines = excerpt.lines.slice(-LOG_TAIL_LINES);
  const rest =
    lines.length < excerpt.lines.length ? ` (${excerpt.lines.length} in the details below)` : '';
  return `${linesLabel(excerpt, lines.length)}${rest}:\n\n${fenced(lines.join('\n'), 'text')}`;
}

/** The folded block of every excerpt line, only when the tail does not already show them all. */
export function fullExcerptBlock(report: LaunchReport, maxChars = Infinity): string {
  const lines = report.logExcerpt?.lines.length ?? 0;
  return lines > LOG_TAIL_LINES ? logExcerptBlock(report, maxChars) : '';
}

/** A failure annotation with the line that names the error, on the queue config. */
export function logErrorAnnotations(report: LaunchReport, path: string): CheckRunAnnotation[] {
  const excerpt = report.logExcerpt;
  if (!excerpt?.errorLine) return [];
  return [
    {
      path,
      start_line: 1,
      end_line: 1,
      annotation_level: 'failure',
      title: truncateChars(
        `Error in ${excerpt.replica} (job ${report.jobId ?? report.title})`,
        255,
      ),
      message: truncateUtf8(excerpt.errorLine, MAX_MESSAGE_BYTES),
    },
  ];
}
