// A failed job's last log lines in the report: a collapsed block for the job summary, check
// run and PR comment, and a check-run annotation with the line that names the error.

import type { CheckRunAnnotation } from './annotations.ts';
import { escapeHtml, fenced, truncateChars, truncateUtf8 } from './format.ts';
import type { LaunchReport } from './model.ts';

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
  const n = excerpt.lines.length;
  // The summary is one line of raw HTML: a line break in it could end the HTML block and
  // let the rest of the line be read as markdown.
  const inline = (s: string) => `<code>${escapeHtml(s.replace(/[\r\n]+/g, ' '))}</code>`;
  const what = `${excerpt.earlierLinesOmitted ? 'Last ' : ''}${n} log line${n === 1 ? '' : 's'} of ${inline(excerpt.replica)}`;
  const error = excerpt.errorLine ? `: ${inline(truncateChars(excerpt.errorLine, 200))}` : '';
  const block = (lines: string[]) =>
    `<details><summary>${what}${error}</summary>\n\n${fenced(lines.join('\n'), 'text')}\n\n</details>`;
  let lines = excerpt.lines;
  // Too big for what is left of the document: drop the oldest lines, keep the error's end.
  while (lines.length > 0 && block(lines).length > maxChars) lines = lines.slice(1);
  return lines.length > 0 ? block(lines) : '';
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
