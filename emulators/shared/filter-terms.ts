// Google's list filters (AIP-160), as far as the emulators read them: terms joined by AND,
// quoted strings with backslash escapes. Each emulator parses the terms its service supports.

/** The terms of `filter` split on AND outside quotes. Throws on an unterminated string. */
export function splitAndTerms(filter: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < filter.length;) {
    const c = filter[i];
    if (quoted && c === '\\') {
      current += filter.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === '"') quoted = !quoted;
    const and = quoted ? null : /^\s+AND\s+/.exec(filter.slice(i));
    if (and) {
      parts.push(current);
      current = '';
      i += and[0].length;
      continue;
    }
    current += c;
    i++;
  }
  if (quoted) throw new Error('Unterminated string in filter.');
  parts.push(current);
  return parts;
}
