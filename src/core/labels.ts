// Vertex label rules: at most 64 labels; keys and values at most 63 characters of
// [a-z0-9_-] (lowercase letters, digits, underscores, dashes); keys start with a letter.
import type { PathProblem } from './queue-config/convert.ts';
import { quoted } from './quote.ts';

export const MAX_LABELS = 64;
const MAX_LENGTH = 63;
const KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const VALUE = /^[a-z0-9_-]{0,63}$/;

export function labelProblem(key: string, value: string): string | undefined {
  if (!KEY.test(key)) {
    return `label key ${quoted(key)} must be 1-${MAX_LENGTH} characters of a-z, 0-9, _ and -, starting with a lowercase letter`;
  }
  if (!VALUE.test(value)) {
    return `label value ${quoted(value)} must be at most ${MAX_LENGTH} characters of a-z, 0-9, _ and - (lowercase)`;
  }
  return undefined;
}

/** Problems for every label (path `${pathOf(key)}`) and for the total count. */
export function checkLabels(
  labels: Record<string, string>,
  pathOf: (key: string) => string,
  countPath: string,
): PathProblem[] {
  const problems: PathProblem[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const message = labelProblem(key, value);
    if (message) problems.push({ path: pathOf(key), message });
  }
  const count = Object.keys(labels).length;
  if (count > MAX_LABELS) {
    problems.push({
      path: countPath,
      message: `${count} labels, but Vertex allows at most ${MAX_LABELS}`,
    });
  }
  return problems;
}

/** Makes any text a valid label value: lowercase, other characters as `-`, at most 63. */
export function toLabelValue(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-')
    .slice(0, MAX_LENGTH);
}
