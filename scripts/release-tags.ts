// What the release workflow does once a vX.Y.Z tag's commit has passed CI: checks that the
// tag's package.json and CHANGELOG.md name its version, then moves the floating tags vX and
// vX.Y to its commit (see release/versions.ts for when one stays).
//   node scripts/release-tags.ts vX.Y.Z [--push REMOTE]
// Without --push only the local tags move. Exits 1, moving nothing, on any mismatch.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { hasRelease } from './release/changelog.ts';
import { formatVersion, parseReleaseTag, planTagMoves } from './release/versions.ts';

const git = (...args: string[]) =>
  execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

function fail(message: string): never {
  console.error(`release: ${message}`);
  process.exit(1);
}

const { values, positionals } = parseArgs({
  options: { push: { type: 'string' } },
  allowPositionals: true,
});
const [tag] = positionals;
const release = tag ? parseReleaseTag(tag) : undefined;
if (!tag || !release) fail(`"${tag ?? ''}" is not a release tag: expected vMAJOR.MINOR.PATCH`);
const version = formatVersion(release);

let commit: string;
try {
  commit = git('rev-parse', '--verify', `${tag}^{commit}`);
} catch {
  fail(`tag ${tag} does not exist here: fetch tags first (actions/checkout with fetch-depth: 0)`);
}
const pkg = JSON.parse(git('show', `${commit}:package.json`)) as { version?: string };
if (pkg.version !== version) {
  fail(
    `${tag}'s package.json says version ${pkg.version}: make releases with \`npm version ${version}\`, which keeps them in step`,
  );
}
if (!hasRelease(git('show', `${commit}:CHANGELOG.md`), version)) {
  fail(`${tag}'s CHANGELOG.md has no "## [${version}]" section: make releases with npm version`);
}

const moves = planTagMoves(release, git('tag', '--list', 'v*').split('\n').filter(Boolean));
for (const m of moves) {
  if (m.move) git('tag', '--force', m.tag, commit);
  console.log(`${m.tag} ${m.move ? `-> ${commit.slice(0, 12)}` : 'stays'}: ${m.reason}`);
}
const moved = moves.filter((m) => m.move).map((m) => `refs/tags/${m.tag}`);
if (values.push && moved.length > 0) {
  // Atomic: users never see v1 moved and v1.2 not.
  git('push', '--atomic', '--force', values.push, ...moved);
  console.log(
    `pushed ${moved.map((r) => r.slice('refs/tags/'.length)).join(', ')} to ${values.push}`,
  );
}
