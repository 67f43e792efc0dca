// Which floating tags a release moves, and the changelog step of `npm version`.
import { expect, test } from '@jest/globals';
import { checkUnreleased, hasRelease, releaseChangelog } from '../../scripts/release/changelog.ts';
import { parseReleaseTag, planTagMoves } from '../../scripts/release/versions.ts';
import type { Version } from '../../scripts/release/versions.ts';

const v = (tag: string): Version => {
  const version = parseReleaseTag(tag);
  if (!version) throw new Error(`not a release tag: ${tag}`);
  return version;
};
const moved = (tag: string, existing: string[]) =>
  planTagMoves(v(tag), existing)
    .filter((m) => m.move)
    .map((m) => m.tag);

test('release tags are vMAJOR.MINOR.PATCH with an optional pre-release', () => {
  expect(parseReleaseTag('v1.2.3')).toEqual({ major: 1, minor: 2, patch: 3 });
  expect(parseReleaseTag('v2.0.0-rc.1')).toEqual({
    major: 2,
    minor: 0,
    patch: 0,
    prerelease: 'rc.1',
  });
  for (const tag of ['1.2.3', 'v1', 'v1.2', 'v01.2.3', 'v1.2.3.4', 'v1.2.3-'])
    expect(parseReleaseTag(tag)).toBeUndefined();
});

test('the first release and each newer one move vX and vX.Y', () => {
  expect(moved('v1.0.0', ['v1.0.0'])).toEqual(['v1', 'v1.0']);
  expect(moved('v1.3.0', ['v1.0.0', 'v1.2.5', 'v1', 'v1.2', 'v1.3.0'])).toEqual(['v1', 'v1.3']);
  expect(moved('v2.0.0', ['v1.9.9', 'v2.0.0', 'v1', 'v1.9'])).toEqual(['v2', 'v2.0']);
});

test('a patch to an older line moves only its own vX.Y; v1 stays on the newest', () => {
  const plan = planTagMoves(v('v1.2.6'), ['v1.2.5', 'v1.3.0', 'v1.2.6', 'v1', 'v1.2', 'v1.3']);
  expect(plan).toEqual([
    { tag: 'v1', move: false, reason: 'v1.3.0 is newer and keeps v1' },
    { tag: 'v1.2', move: true, reason: 'v1.2.6 is the newest release of v1.2' },
  ]);
});

test('pre-releases move nothing, and do not hold a floating tag back', () => {
  expect(moved('v2.0.0-rc.1', ['v1.0.0', 'v2.0.0-rc.1'])).toEqual([]);
  expect(moved('v1.1.0', ['v1.0.0', 'v1.2.0-rc.1', 'v1.1.0'])).toEqual(['v1', 'v1.1']);
});

test('re-running a release is harmless: the same tags move to the same commit', () => {
  expect(moved('v1.1.0', ['v1.1.0', 'v1', 'v1.1'])).toEqual(['v1', 'v1.1']);
});

const CHANGELOG = `# Changelog

Intro.

## [Unreleased]

### Fixed

- A fix.

## [1.0.0] - 2026-01-02

- First.
`;

test('npm version: the Unreleased entries become the version, under a fresh Unreleased', () => {
  const released = releaseChangelog(CHANGELOG, '1.0.1', '2026-03-04');
  expect(released).toBe(`# Changelog

Intro.

## [Unreleased]

## [1.0.1] - 2026-03-04

### Fixed

- A fix.

## [1.0.0] - 2026-01-02

- First.
`);
  expect(hasRelease(released, '1.0.1')).toBe(true);
  expect(hasRelease(released, '1.0.10')).toBe(false);
  expect(checkUnreleased(released)).toMatch(/nothing under "## \[Unreleased\]"/);
  expect(() => releaseChangelog(released, '1.0.2', '2026-03-05')).toThrow(/nothing under/);
  expect(() => releaseChangelog(CHANGELOG, '1.0.0', '2026-03-05')).toThrow(/already has 1.0.0/);
});
