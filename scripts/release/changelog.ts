// CHANGELOG.md in the Keep a Changelog layout: entries collect under `## [Unreleased]`, and
// `npm version` (its `version` script) turns them into `## [X.Y.Z] - YYYY-MM-DD`, so that
// package.json, the changelog and the tag name one version.

const UNRELEASED = /^## \[Unreleased\][^\n]*\n/m;
const NEXT_SECTION = /^## /m;

function unreleasedBody(text: string): { start: number; end: number } | undefined {
  const heading = UNRELEASED.exec(text);
  if (!heading) return undefined;
  const start = heading.index + heading[0].length;
  const next = NEXT_SECTION.exec(text.slice(start));
  return { start, end: next ? start + next.index : text.length };
}

/** An error message when there is nothing to release, else undefined. */
export function checkUnreleased(text: string): string | undefined {
  const body = unreleasedBody(text);
  if (!body) return 'CHANGELOG.md has no "## [Unreleased]" section: add one above the releases';
  if (!/^\s*[-*] \S/m.test(text.slice(body.start, body.end))) {
    return 'CHANGELOG.md: nothing under "## [Unreleased]": describe the changes of this release there first';
  }
  return undefined;
}

export function hasRelease(text: string, version: string): boolean {
  const escaped = version.replace(/[.]/g, '\\.');
  return new RegExp(`^## \\[${escaped}\\]`, 'm').test(text);
}

/** The Unreleased entries become version `version`'s, under a fresh, empty Unreleased. */
export function releaseChangelog(text: string, version: string, date: string): string {
  const problem = checkUnreleased(text);
  if (problem) throw new Error(problem);
  if (hasRelease(text, version)) throw new Error(`CHANGELOG.md already has ${version}`);
  const body = unreleasedBody(text)!;
  const entries = text.slice(body.start, body.end).trim();
  return (
    text.slice(0, body.start) +
    `\n## [${version}] - ${date}\n\n${entries}\n\n` +
    text.slice(body.end)
  );
}
