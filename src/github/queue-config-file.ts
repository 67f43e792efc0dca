// The `queue-config` input: the config inline, or a file in the workspace, read once it is
// known that the step launches.
import { readFile, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { UserError } from '../core/errors.ts';
import { quoted } from '../core/quote.ts';
import { workspacePath } from './workspace-paths.ts';

/** Inline when it looks like a document (several lines, or a JSON object); else a path. */
export function isInlineConfig(value: string): boolean {
  return value.includes('\n') || value.trimStart().startsWith('{');
}

/** A queue config is a few kilobytes; anything far larger is not one. */
const QUEUE_CONFIG_MAX_BYTES = 1 << 20;

export async function loadQueueConfig(
  value: string,
  workspace: string,
): Promise<{ text: string; origin: string }> {
  if (isInlineConfig(value)) return { text: value, origin: '<inline queue-config>' };
  const file = workspacePath(workspace, 'queue-config', value);
  const origin = relative(workspace, file) || value;
  const problem = (message: string) =>
    new UserError('inputs', 'invalid inputs', [{ path: 'queue-config', message }]);
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw problem(`${quoted(value)} is not a regular file`);
    size = info.size;
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw problem(
      `cannot read ${quoted(value)}${code === 'ENOENT' ? ` (no such file in ${workspace}; did the workflow run actions/checkout?)` : `: ${code}`}`,
    );
  }
  if (size > QUEUE_CONFIG_MAX_BYTES)
    throw problem(`${quoted(value)} is ${size} bytes; a queue config is at most 1 MiB`);
  return { text: await readFile(file, 'utf8'), origin };
}
