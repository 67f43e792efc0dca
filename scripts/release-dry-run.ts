// A release rehearsed on a throwaway clone: `npm version`, the tag pushed, and then the
// release workflow's tag step (scripts/release-tags.ts) against a throwaway bare remote. Shows
// where every tag ends up. The repository itself and its remotes are never touched; the
// workflow's other job (CI on the tag: build, lint, check-dist, tests) is not repeated here.
//   node scripts/release-dry-run.ts [VERSION] [--repo DIR] [--keep]
// VERSION is what `npm version` takes: patch (default), minor, major, or X.Y.Z. Committed
// work only: the clone has no uncommitted changes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { repo: { type: 'string', default: '.' }, keep: { type: 'boolean' } },
  allowPositionals: true,
});
const [bump = 'patch'] = positionals;
const scratch = mkdtempSync(join(tmpdir(), 'wbvl-release-'));
const origin = join(scratch, 'origin.git');
const work = join(scratch, 'work');
// This Node first on PATH, so that npm's lifecycle scripts run under it.
const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH}` };
const run = (cwd: string, cmd: string, ...args: string[]) =>
  execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const say = (line = '') => console.log(line);

try {
  run(scratch, 'git', 'clone', '--quiet', '--bare', resolve(values.repo), origin);
  run(scratch, 'git', 'clone', '--quiet', origin, work);
  for (const [key, value] of [
    ['user.name', 'release dry run'],
    ['user.email', 'release-dry-run@localhost'],
    ['commit.gpgsign', 'false'],
    ['tag.gpgsign', 'false'],
  ])
    run(work, 'git', 'config', key, value);

  say(`$ npm version ${bump}`);
  const tag = run(work, 'npm', 'version', bump, '--no-fund', '--no-audit')
    .trim()
    .split('\n')
    .pop()!;
  say(`$ git push origin HEAD ${tag}`);
  run(work, 'git', 'push', '--quiet', 'origin', 'HEAD', `refs/tags/${tag}`);

  say(`$ node scripts/release-tags.ts ${tag} --push origin   # the release workflow's step`);
  process.stdout.write(
    run(work, process.execPath, 'scripts/release-tags.ts', tag, '--push', 'origin'),
  );

  const commit = run(work, 'git', 'rev-parse', `${tag}^{commit}`).trim();
  say(`\nTags on the throwaway remote (release commit ${commit.slice(0, 12)}):`);
  const names = run(origin, 'git', 'tag', '--list', '--sort=-version:refname');
  for (const name of names.trim().split('\n')) {
    const target = run(origin, 'git', 'rev-parse', `${name}^{commit}`).trim();
    const mark = target === commit ? '  <- this release' : '';
    say(`  ${name.padEnd(12)} ${target.slice(0, 12)}${mark}`);
  }
  say(`\nDry run: ${resolve(values.repo)} and its remotes are untouched.`);
} catch (e) {
  console.error(`release dry run: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  if (values.keep) say(`Kept ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}
