// The release rehearsed end to end on throwaway repositories: `npm version` keeps package.json,
// CHANGELOG.md and the tag in step, and the release workflow's tag step moves vX and vX.Y on
// the remote as intended. The fixture repository carries this repository's release scripts and
// package.json lifecycle scripts, and a history of earlier releases. Each case runs npm and
// git several times: 90 s each, for a loaded machine.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SCRIPTS = [
  'scripts/changelog.ts',
  'scripts/release-tags.ts',
  'scripts/release-dry-run.ts',
  'scripts/release',
];
const ours = JSON.parse(readFileSync('package.json', 'utf8')) as {
  scripts: Record<string, string>;
};
const scratch = mkdtempSync(join(tmpdir(), 'wbvl-release-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const commitOf = (cwd: string, ref: string) => git(cwd, 'rev-parse', `${ref}^{commit}`);

function changelog(released: string[], unreleased: string[]): string {
  return [
    '# Changelog',
    '',
    '## [Unreleased]',
    '',
    ...unreleased.map((e) => `- ${e}`),
    '',
    ...released.flatMap((v) => [`## [${v}] - 2026-01-01`, '', `- ${v}`, '']),
  ].join('\n');
}

/** Writes package.json and CHANGELOG.md for `version`, commits, and tags it as npm would. */
function release(repo: string, version: string, released: string[]) {
  const pkg = { name: 'fixture', version, private: true, scripts: lifecycle() };
  writeFileSync(join(repo, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  writeFileSync(join(repo, 'CHANGELOG.md'), changelog(released, []));
  git(repo, 'add', '.');
  git(repo, 'commit', '--quiet', '-m', version);
  git(repo, 'tag', '-a', `v${version}`, '-m', version);
}

function lifecycle(): Record<string, string> {
  const { preversion, version } = ours.scripts;
  return { preversion, version };
}

let repo: string;
let v130: string;
let v125: string;
beforeAll(() => {
  repo = join(scratch, 'repo');
  git(scratch, 'init', '--quiet', '--initial-branch=main', repo);
  git(repo, 'config', 'user.name', 'test');
  git(repo, 'config', 'user.email', 'test@localhost');
  git(repo, 'config', 'commit.gpgsign', 'false');
  git(repo, 'config', 'tag.gpgsign', 'false');
  for (const path of SCRIPTS) cpSync(path, join(repo, path), { recursive: true });
  release(repo, '1.2.5', ['1.2.5']);
  v125 = commitOf(repo, 'HEAD');
  release(repo, '1.3.0', ['1.3.0', '1.2.5']);
  v130 = commitOf(repo, 'HEAD');
  git(repo, 'tag', 'v1.2', v125);
  git(repo, 'tag', 'v1', v130);
  git(repo, 'tag', 'v1.3', v130);
  // Unreleased work on main.
  writeFileSync(join(repo, 'CHANGELOG.md'), changelog(['1.3.0', '1.2.5'], ['A new input.']));
  git(repo, 'commit', '--quiet', '-am', 'A new input');
});

function dryRun(...args: string[]) {
  return spawnSync(
    process.execPath,
    [resolve('scripts/release-dry-run.ts'), ...args, '--repo', repo],
    { encoding: 'utf8', timeout: 60_000 },
  );
}

/** `  NAME  COMMIT12` lines of the dry run's listing. */
function listed(stdout: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const m of stdout.matchAll(/^ {2}(v[\d.]+-?\S*) +([0-9a-f]{12})/gm)) tags[m[1]] = m[2];
  return tags;
}

test('a minor release: npm version tags it, and v1 and v1.4 move to it on the remote', () => {
  const run = dryRun('minor');
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('$ npm version minor');
  expect(run.stdout).toMatch(/^v1 -> [0-9a-f]{12}: v1\.4\.0 is the newest release of v1$/m);
  expect(run.stdout).toMatch(/^v1\.4 -> [0-9a-f]{12}: v1\.4\.0 is the newest release of v1\.4$/m);
  const tags = listed(run.stdout);
  const release = tags['v1.4.0'];
  expect(release).toMatch(/^[0-9a-f]{12}$/);
  expect(tags).toEqual({
    v1: release,
    'v1.4': release,
    'v1.4.0': release,
    'v1.3': v130.slice(0, 12),
    'v1.3.0': v130.slice(0, 12),
    'v1.2': v125.slice(0, 12),
    'v1.2.5': v125.slice(0, 12),
  });
  expect(run.stdout).toMatch(/^ {2}v1\.4\.0 +[0-9a-f]{12} {2}<- this release$/m);
  // The real repository is untouched.
  expect(git(repo, 'tag', '--list', 'v1.4*')).toBe('');
  expect(commitOf(repo, 'v1')).toBe(v130);
}, 90_000);

test('npm version keeps package.json, CHANGELOG.md and the tag in step', () => {
  const keep = dryRun('2.0.0', '--keep');
  expect(keep.status).toBe(0);
  const work = join(/^Kept (.*)$/m.exec(keep.stdout)![1], 'work');
  try {
    const show = (file: string) => git(work, 'show', `v2.0.0:${file}`);
    expect((JSON.parse(show('package.json')) as { version: string }).version).toBe('2.0.0');
    const log = show('CHANGELOG.md');
    const today = new Date().toISOString().slice(0, 10);
    expect(log).toContain(`## [Unreleased]\n\n## [2.0.0] - ${today}\n\n- A new input.`);
    expect(git(work, 'log', '-1', '--format=%s', 'v2.0.0')).toBe('2.0.0');
    expect(listed(keep.stdout)).toMatchObject({
      v2: expect.any(String),
      'v2.0': expect.any(String),
    });
    expect(listed(keep.stdout).v1).toBe(v130.slice(0, 12));
  } finally {
    rmSync(resolve(work, '..'), { recursive: true, force: true });
  }
}, 90_000);

test('nothing under Unreleased: npm version stops before it bumps anything', () => {
  const empty = join(scratch, 'empty');
  git(scratch, 'clone', '--quiet', repo, empty);
  writeFileSync(join(empty, 'CHANGELOG.md'), changelog(['1.3.0', '1.2.5'], []));
  git(empty, 'commit', '--quiet', '-am', 'Nothing new', '--author', 'test <test@localhost>');
  const bare = spawnSync(
    process.execPath,
    [resolve('scripts/release-dry-run.ts'), 'patch', '--repo', empty],
    { encoding: 'utf8', timeout: 60_000 },
  );
  expect(bare.status).toBe(1);
  expect(bare.stderr).toContain('nothing under "## [Unreleased]"');
}, 90_000);

test("the workflow's tag step: a patch to an older line moves v1.2 only", () => {
  const work = join(scratch, 'patch-line');
  git(scratch, 'clone', '--quiet', repo, work);
  for (const [k, val] of [
    ['user.name', 'test'],
    ['user.email', 'test@localhost'],
  ])
    git(work, 'config', k, val);
  git(work, 'checkout', '--quiet', '-b', 'release-1.2', 'v1.2.5');
  release(work, '1.2.6', ['1.2.6', '1.2.5']);
  const tagStep = (tag: string) =>
    spawnSync(process.execPath, ['scripts/release-tags.ts', tag], { cwd: work, encoding: 'utf8' });
  const run = tagStep('v1.2.6');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('v1 stays: v1.3.0 is newer and keeps v1');
  expect(commitOf(work, 'v1.2')).toBe(commitOf(work, 'v1.2.6'));
  expect(commitOf(work, 'v1')).toBe(v130);

  // A tag whose package.json disagrees moves nothing.
  git(work, 'tag', 'v1.2.7');
  const wrong = tagStep('v1.2.7');
  expect(wrong.status).toBe(1);
  expect(wrong.stderr).toContain("v1.2.7's package.json says version 1.2.6");
  expect(commitOf(work, 'v1.2')).toBe(commitOf(work, 'v1.2.6'));
  expect(tagStep('v1.2').stderr).toContain('"v1.2" is not a release tag');
}, 90_000);
