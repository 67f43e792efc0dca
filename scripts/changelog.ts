// The changelog half of `npm version` (package.json scripts):
//   preversion: node scripts/changelog.ts check    fails when nothing is under [Unreleased]
//   version:    node scripts/changelog.ts release  entries -> `## [<package.json version>] - today`
// npm then commits package.json, package-lock.json and CHANGELOG.md and tags vX.Y.Z.
import { readFileSync, writeFileSync } from 'node:fs';
import { checkUnreleased, releaseChangelog } from './release/changelog.ts';

const FILE = 'CHANGELOG.md';
const [command] = process.argv.slice(2);
const text = readFileSync(FILE, 'utf8');
try {
  if (command === 'check') {
    const problem = checkUnreleased(text);
    if (problem) throw new Error(problem);
  } else if (command === 'release') {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const today = new Date().toISOString().slice(0, 10);
    writeFileSync(FILE, releaseChangelog(text, version, today));
    console.log(`${FILE}: the [Unreleased] entries are now ${version}'s`);
  } else {
    throw new Error('usage: changelog.ts check|release');
  }
} catch (e) {
  console.error(`release: ${(e as Error).message}`);
  process.exit(1);
}
