// Under GitHub Actions (a `run:` step), the runner reads this process's stdout and stderr for
// workflow commands, so what the job or Vertex wrote goes out as the action prints it: see
// core/untrusted-text.ts. In a terminal nothing changes.
import { randomUUID } from 'node:crypto';
import { commandSafeLines } from '../core/untrusted-text.ts';

/**
 * `write`, made safe for the runner when GITHUB_ACTIONS is `true`: `always` for text that is
 * someone else's throughout (log lines), `when-needed` for messages that may quote it.
 */
export function runnerSafe(
  write: (text: string) => void,
  env: NodeJS.ProcessEnv,
  wrap: 'always' | 'when-needed' = 'when-needed',
): (text: string) => void {
  if (env.GITHUB_ACTIONS !== 'true') return write;
  return (text) => {
    if (text === '') return;
    const body = text.endsWith('\n') ? text.slice(0, -1) : text;
    write(commandSafeLines([body], randomUUID(), wrap).join('\n') + '\n');
  };
}
