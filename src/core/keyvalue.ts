// `KEY=VALUE` lists, one per line, as the `vars`, `env`, `labels` and `build-args` inputs
// (and repeated CLI flags) take them.
import type { Problem } from './errors.ts';
import { cutShort } from './quote.ts';

export function parseKeyValueLines(
  text: string | string[],
  inputName: string,
): { values: Record<string, string>; problems: Problem[]; lineOf: Record<string, number> } {
  const lines = Array.isArray(text) ? text : text.split(/\r?\n/);
  const values: Record<string, string> = {};
  /** Each key's line, from 1: for problems found later about one entry. */
  const lineOf: Record<string, number> = {};
  const problems: Problem[] = [];
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) {
      // The line itself is not echoed: it may be a secret pasted without its name.
      problems.push({ path: inputName, message: `line ${index + 1} is not KEY=VALUE` });
      return;
    }
    const key = line.slice(0, eq).trim();
    if (Object.hasOwn(values, key)) {
      problems.push({ path: inputName, message: `${cutShort(key)} is given twice` });
      return;
    }
    values[key] = line.slice(eq + 1).trim();
    lineOf[key] = index + 1;
  });
  return { values, problems, lineOf };
}
