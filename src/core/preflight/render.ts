// Preflight's results as markdown for the job summary, and as one text block for the report's
// error when it stops the launch.
import { formatProblem, type Problem } from '../errors.ts';
import { code, table, text } from '../report/format.ts';
import { errorsOf, warningsOf, type PreflightReport } from './findings.ts';

/** A finding with its place in the queue config file, when it has one. */
export type LocatedFinding = Problem & { level: 'error' | 'warning' };

function where(p: LocatedFinding): string {
  if (p.file && !p.file.startsWith('<')) return code(p.line ? `${p.file}:${p.line}` : p.file);
  return '—';
}

export function renderPreflightMarkdown(
  report: PreflightReport,
  located: LocatedFinding[],
  elapsedMs?: number,
): string {
  const errors = errorsOf(report).length;
  const warnings = warningsOf(report).length;
  const verdict =
    errors > 0
      ? `❌ ${errors} problem${errors === 1 ? '' : 's'}: nothing was built or submitted`
      : warnings > 0
        ? `⚠️ passed with ${warnings} warning${warnings === 1 ? '' : 's'}`
        : '✅ passed';
  const took = elapsedMs !== undefined ? ` (${Math.round(elapsedMs)} ms)` : '';
  const blocks = [`### Preflight: ${verdict}${took}`];
  if (located.length > 0) {
    const rows = located.map((f) => [
      f.level === 'error' ? '❌ error' : '⚠️ warning',
      where(f),
      f.path ? code(f.path) : '—',
      text(f.message),
    ]);
    blocks.push(table(['', 'Where', 'Config key or input', 'Finding'], rows));
  }
  const lines = [
    ...report.passed.map((p) => `- ✅ ${text(p)}`),
    ...report.skipped.map((s) => `- ➖ ${text(s)}`),
  ];
  if (lines.length > 0) blocks.push(lines.join('\n'));
  return blocks.join('\n\n') + '\n';
}

/** The error a stopped launch reports (check run, PR comment, summary): one line per error. */
export function preflightErrorText(located: LocatedFinding[]): string {
  const errors = located.filter((f) => f.level === 'error');
  const head = `Preflight found ${errors.length} problem${errors.length === 1 ? '' : 's'}; nothing was built or submitted.`;
  return [head, ...errors.map((f) => formatProblem(f))].join('\n');
}
