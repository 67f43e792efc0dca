// .dockerignore as Docker reads and applies it (moby/patternmatcher + the CLI's build-context
// walk), so the context hash covers exactly the files Docker sends. Pure: no I/O.
//
// Reading: `#` comments (only at the very start of a line), blank lines skipped, whitespace
// trimmed, `!` marks an exception, each pattern is path-cleaned and a leading `/` dropped.
// Matching: `*` is any run of non-`/` characters, `?` one non-`/` character, `**` any number of
// directories (including none), `[...]` a character class, `\` escapes. A pattern that matches a
// directory also matches everything under it. The last matching pattern wins.

export interface IgnorePattern {
  /** The cleaned pattern text, without the `!`. */
  text: string;
  exclusion: boolean;
  regex: RegExp;
}

/** Go's path.Clean for slash-separated paths. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** Read .dockerignore text into pattern strings (`!` kept), as Docker's ignorefile.ReadAll does. */
export function readIgnoreFile(text: string): string[] {
  const patterns: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const line of lines) {
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    if (pattern === '') continue;
    const invert = pattern.startsWith('!');
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push(invert ? '!' + pattern : pattern);
  }
  return patterns;
}

const REGEX_SPECIAL = new Set(['.', '+', '(', ')', '|', '{', '}', '$', '^']);

/** Compile one cleaned pattern (without `!`) to an anchored regular expression. */
export function compilePattern(pattern: string): RegExp {
  let re = '^';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (inClass && ch !== '\\') {
      re += ch; // character classes pass through, as in filepath.Match
      if (ch === ']') inClass = false;
    } else if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++; // `**/` behaves as `**`
        re += i + 1 >= pattern.length ? '.*' : '(?:.*/)?';
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else if (ch === '\\') {
      if (i + 1 < pattern.length) {
        i++;
        re += '\\' + pattern[i];
      } else {
        re += '\\\\';
      }
    } else if (ch === '[') {
      inClass = true;
      re += ch;
    } else if (REGEX_SPECIAL.has(ch)) {
      re += '\\' + ch;
    } else {
      re += ch;
    }
  }
  re += '$';
  try {
    return new RegExp(re);
  } catch {
    // Docker rejects such a pattern (e.g. an unclosed `[`) and the build fails; treat it as
    // matching nothing here, the build itself will report it.
    return /(?!)/;
  }
}

export function compilePatterns(patterns: string[]): IgnorePattern[] {
  return patterns.map((p) => {
    const exclusion = p.startsWith('!');
    const text = exclusion ? p.slice(1) : p;
    return { text, exclusion, regex: compilePattern(text) };
  });
}

/**
 * Per-pattern match results of a directory, handed to its children (Docker's MatchInfo).
 * `undefined` means "no information": the ancestors are checked directly.
 */
export type ParentMatch = readonly boolean[] | undefined;

export interface MatchResult {
  excluded: boolean;
  info: boolean[];
}

/** Docker's MatchesUsingParentResults: is `path` excluded, given its parent directory's results. */
export function matchPath(
  patterns: IgnorePattern[],
  path: string,
  parent: ParentMatch,
): MatchResult {
  let matched = false;
  const info = new Array<boolean>(patterns.length).fill(false);
  for (let i = 0; i < patterns.length; i++) {
    const p = patterns[i];
    let match = parent !== undefined ? parent[i] : false;
    if (!match) {
      // An exception cannot change an unmatched path, nor a pattern a matched one.
      if (p.exclusion !== matched) continue;
      match = p.regex.test(path);
      if (!match && parent === undefined) {
        const dirs = path.split('/').slice(0, -1);
        for (let j = 1; j <= dirs.length && !match; j++)
          match = p.regex.test(dirs.slice(0, j).join('/'));
      }
    }
    info[i] = match;
    if (match) matched = !p.exclusion;
  }
  return { excluded: matched, info };
}

/** Docker's TrimBuildFilesFromExcludes: the Dockerfile and .dockerignore are always sent. */
export function keepBuildFiles(
  patterns: string[],
  dockerfileInContext: string | undefined,
): string[] {
  const out = [...patterns];
  const compiled = () => compilePatterns(out);
  if (matchPath(compiled(), '.dockerignore', undefined).excluded) out.push('!.dockerignore');
  if (
    dockerfileInContext !== undefined &&
    matchPath(compiled(), dockerfileInContext, undefined).excluded
  ) {
    out.push('!' + dockerfileInContext);
  }
  return out;
}

/**
 * For an excluded directory: may the walk skip it whole? Not when an exception pattern names
 * a path under it literally (Docker checks the prefix only, so `!**\/x` does not rescue files).
 */
export function canSkipExcludedDir(patterns: IgnorePattern[], dir: string): boolean {
  const dirSlash = dir + '/';
  for (const p of patterns) {
    if (p.exclusion && (p.text + '/').startsWith(dirSlash)) return false;
  }
  return true;
}
