// The GitHub Actions runtime seen through @actions/core: log, groups, outputs, state for the
// post step, annotations and the job summary. The only module of main that imports it.
import { randomUUID } from 'node:crypto';
import * as core from '@actions/core';
import { formatProblem } from '../core/errors.ts';
import type { Problem } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { redactSecrets } from '../core/redact.ts';

export const actionLog: Logger = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  debug: (m) => core.debug(m),
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

/** Keys of what main leaves for the post step. */
export const STATE = {
  jobName: 'job-name',
  /** `following` while main waits on the job; anything else means main let it go on purpose. */
  jobPhase: 'job-phase',
  dockerConfig: 'docker-config',
  /** The Kaniko build job, and where main stands with it (the same values as jobPhase). */
  buildJobName: 'build-job-name',
  buildJobPhase: 'build-job-phase',
  isPost: 'is-post',
} as const;

export const saveState = (key: string, value: string): void => core.saveState(key, value);
export const getState = (key: string): string => core.getState(key);

/** One `::error` (or `::warning`) per problem, at its file and line where known. */
export function annotateProblems(
  problems: Problem[],
  title: string,
  level: 'error' | 'warning' = 'error',
): void {
  const annotate = level === 'error' ? core.error : core.warning;
  for (const problem of problems) {
    annotate(formatProblem({ ...problem, file: undefined, line: undefined, column: undefined }), {
      title,
      file: problem.file?.startsWith('<') ? undefined : problem.file,
      startLine: problem.line,
      startColumn: problem.column,
    });
  }
}

export async function writeJobSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(redactSecrets(markdown, maskedValues()), true).write();
}

export const fail = (message: string): void => core.setFailed(message);

/**
 * Lines someone else wrote (a training job's output), with workflow commands off while they
 * print: no line can set an output, mask a value or raise an annotation.
 */
export function printUntrusted(lines: string[]): void {
  const token = randomUUID();
  core.info(`::stop-commands::${token}`);
  for (const line of lines) core.info(line);
  core.info(`::${token}::`);
}
