// Check-run annotations for queue-config problems and for a failed job. GitHub takes at most
// 50 annotations per request; every annotation needs a repository path and a line.

import type { Problem } from '../errors.ts';
import { formatProblem } from '../errors.ts';
import { code, fenced, table, text, truncateChars, truncateUtf8 } from './format.ts';
import { logErrorAnnotations } from './log-excerpt.ts';
import type { LaunchReport } from './model.ts';
import {
  CHECK_RUN_TEXT_MAX_CHARS,
  type CheckRunAnnotation,
  type CheckRunOutput,
} from './check-run-types.ts';

export const ANNOTATIONS_PER_REQUEST = 50;
/** GitHub rejects annotation messages over 64 KB. */
const MAX_ANNOTATION_MESSAGE_BYTES = 60 * 1024;

/**
 * One failure annotation per problem, on the problem's file and line. Problems without a file
 * (an inline config) go on `fallbackPath`, line 1: the caller passes the workflow file, where
 * an inline config lives, or `.github` when even that is unknown.
 */
export function problemAnnotations(
  problems: Problem[],
  fallbackPath: string,
): CheckRunAnnotation[] {
  return problems.map((p) => {
    const line = p.file && p.line && p.line > 0 ? p.line : 1;
    return {
      path: p.file || fallbackPath,
      start_line: line,
      end_line: line,
      // Columns are only allowed on single-line annotations, which these are.
      ...(p.file && p.line && p.column && p.column > 0
        ? { start_column: p.column, end_column: p.column }
        : {}),
      annotation_level: 'failure',
      title: p.path ? truncateChars(p.path, 255) : 'Queue config',
      message: truncateUtf8(p.message, MAX_ANNOTATION_MESSAGE_BYTES),
    };
  });
}

/** The failure annotation carrying Vertex's error message, or none when the job did not fail. */
export function jobErrorAnnotations(report: LaunchReport, path: string): CheckRunAnnotation[] {
  if (!report.error) return logErrorAnnotations(report, path);
  const codeText = report.error.code !== undefined ? ` (code ${report.error.code})` : '';
  return [
    {
      path,
      start_line: 1,
      end_line: 1,
      annotation_level: 'failure',
      title: truncateChars(`Vertex AI job ${report.jobId ?? report.title} failed${codeText}`, 255),
      message: truncateUtf8(report.error.message || 'no message', MAX_ANNOTATION_MESSAGE_BYTES),
    },
    ...logErrorAnnotations(report, path),
  ];
}

/** Splits a list into consecutive batches of at most `size` items (at least one batch). */
export function batches<T>(items: T[], size = ANNOTATIONS_PER_REQUEST): T[][] {
  if (items.length === 0) return [[]];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Check-run output for a launch stopped by queue-config problems: a table of every problem. */
export function configProblemsOutput(problems: Problem[]): CheckRunOutput {
  const n = problems.length;
  const rows = problems.map((p) => [
    p.file ? code(p.line ? `${p.file}:${p.line}` : p.file) : '—',
    p.path ? code(p.path) : '—',
    text(p.message),
  ]);
  const summary = truncateChars(
    `The queue config has ${n} problem${n === 1 ? '' : 's'}; nothing was submitted.\n\n` +
      table(['Where', 'Config path', 'Problem'], rows),
    CHECK_RUN_TEXT_MAX_CHARS,
  );
  return {
    title: `Queue config: ${n} problem${n === 1 ? '' : 's'}`,
    summary,
    // The one-line forms, as the CLI prints them, in a block no markdown can escape.
    text: fenced(
      truncateChars(problems.map(formatProblem).join('\n'), CHECK_RUN_TEXT_MAX_CHARS - 64),
    ),
  };
}
