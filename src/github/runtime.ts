// The GitHub Actions runtime seen through @actions/core: log, groups, outputs, annotations and
// the job summary (the state for the post step: state.ts). The only module of main that imports it.
import { randomUUID } from 'node:crypto';
import * as core from '@actions/core';
import { formatProblem } from '../core/errors.ts';
import type { Problem } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { commandSafeLines, defuseLegacyCommands } from '../core/untrusted-text.ts';
import { redactSecrets } from '../core/redact.ts';

// Only core.info writes text as it is; warning, error, debug, group and setFailed send theirs
// as a command's data, escaped by @actions/core (%, CR, LF; and `:` `,` in properties), so a
// message there can neither start a line nor add a property such as `file=`. The runner writes
// such a message into the log as `##[warning]...`, its newlines included, so `##[` is defused
// there too: no quoted line can pass for the runner's own log markup.
export const actionLog: Logger = {
  // Messages quote what others wrote (Docker's output, Vertex's errors, API answers).
  info: (m) => printLines([m], 'when-needed'),
  warning: (m) => core.warning(defuseLegacyCommands(m)),
  debug: (m) => core.debug(defuseLegacyCommands(m)),
};

export const group = <T>(title: string, fn: () => Promise<T>): Promise<T> => core.group(title, fn);
/** Every value masked in the log so far: the reports, which GitHub does not mask, drop them too. */
const masked = new Set<string>();
export const setSecret = (value: string): void => {
  if (value) masked.add(value);
  core.setSecret(value);
};
export const maskedValues = (): string[] => [...masked];
export const setOutput = (name: string, value: string | undefined): void => {
  if (value !== undefined && value !== '') core.setOutput(name, value);
};

/** One `::error` (or `::warning`) per problem, at its file and line where known. */
export function annotateProblems(
  problems: Problem[],
  title: string,
  level: 'error' | 'warning' = 'error',
): void {
  const annotate = level === 'error' ? core.error : core.warning;
  for (const problem of problems) {
    const message = formatProblem({
      ...problem,
      file: undefined,
      line: undefined,
      column: undefined,
    });
    annotate(defuseLegacyCommands(message), {
      title,
      file: problem.file?.startsWith('<') ? undefined : problem.file,
      startLine: problem.line,
      startColumn: problem.column,
    });
  }
}

/**
 * Appends to the step summary. Each part ends with a blank line: a part ending in HTML (a
 * `</details>`) would otherwise swallow the next part's first lines as more HTML.
 */
export async function writeJobSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(`${redactSecrets(markdown, maskedValues()).trimEnd()}\n\n`).write();
}

export const fail = (message: string): void => core.setFailed(defuseLegacyCommands(message));

/** The step log's one way out for text: see core/untrusted-text.ts for the runner's rules. */
function printLines(texts: string[], wrap: 'always' | 'when-needed'): void {
  for (const line of commandSafeLines(texts, randomUUID(), wrap)) core.info(line);
}

/**
 * Lines someone else wrote (a training job's output), with workflow commands off while they
 * print: no line can set an output or state, mask a value or raise an annotation.
 */
export function printUntrusted(lines: string[]): void {
  printLines(lines, 'always');
}
