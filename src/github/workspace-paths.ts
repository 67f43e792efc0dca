// File inputs resolve inside the workspace. The code under review controls the checkout, so a
// symbolic link or a `..` must not make the action read, and then quote in a report, a file from
// elsewhere on the runner (/proc/self/environ, a credentials file).
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { UserError, type Problem } from '../core/errors.ts';
import { quoted } from '../core/quote.ts';
import { isInside } from '../core/workspace-path.ts';

function realpathOrUndefined(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function outsideWorkspace(input: string, value: string, how: string): UserError {
  const message =
    `${quoted(value)} ${how}; ` +
    'file inputs name files inside GITHUB_WORKSPACE (the checked-out repository)';
  return new UserError('inputs', 'invalid inputs', [{ path: input, message }]);
}

/**
 * The absolute path `value` (a file input) names, links followed, when it stays inside
 * `workspace`; a located error naming `input` otherwise. The target itself is never named or
 * read. A path that does not exist yet is checked as written (its reader reports it missing).
 */
export function workspacePath(workspace: string, input: string, value: string): string {
  const root = path.resolve(workspace);
  const written = path.resolve(root, value);
  if (!isInside(written, root))
    throw outsideWorkspace(
      input,
      value,
      'leads outside the workspace (through `..` or as an absolute path)',
    );
  const real = realpathOrUndefined(written);
  if (real === undefined) return written;
  if (!isInside(real, realpathOrUndefined(root) ?? root))
    throw outsideWorkspace(
      input,
      value,
      'is a symbolic link, or lies under one, leading outside the workspace',
    );
  return real;
}

/** `workspacePath`'s check, its problem collected with the other inputs'. */
export function inWorkspace(
  workspace: string,
  input: string,
  value: string,
  problems: Problem[],
): void {
  try {
    workspacePath(workspace, input, value);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    problems.push(...err.problems);
  }
}
