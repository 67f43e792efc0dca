// Everything a step printed or wrote, gathered for a secret scan: its stdout (without the
// `::add-mask::VALUE` command lines, which must carry the value to the runner: that is how
// masking works) and stderr, and every file under the directories it could write to.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionResult } from '../helpers/action-runner.ts';

export interface Written {
  /** Where the text came from: `stdout`, `stderr`, or a file path. */
  source: string;
  text: string;
}

const ADD_MASK = /^::add-mask::/;

/** stdout lines other than `::add-mask::` commands, and stderr. */
export function printed(result: ActionResult): Written[] {
  const stdout = result.stdout
    .split('\n')
    .filter((l) => !ADD_MASK.test(l))
    .join('\n');
  return [
    { source: 'stdout', text: stdout },
    { source: 'stderr', text: result.stderr },
  ];
}

/** The `::add-mask::` values of a step's stdout. */
export function maskedValues(result: ActionResult): Set<string> {
  return new Set(
    result.stdout
      .split('\n')
      .filter((l) => ADD_MASK.test(l))
      .map((l) => l.replace(ADD_MASK, '')),
  );
}

/** Every regular file under `dir` (`.git` excluded), path and content. */
export function filesUnder(dir: string): Written[] {
  const out: Written[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      if (name === '.git') continue;
      const path = join(d, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else if (st.isFile()) out.push({ source: path, text: readFileSync(path, 'latin1') });
    }
  };
  walk(dir);
  return out;
}

/** Where `secrets` occur: `source: secret-prefix...`, none when clean. */
export function findSecrets(texts: Written[], secrets: string[]): string[] {
  const hits: string[] = [];
  for (const { source, text } of texts)
    for (const s of secrets)
      if (s && text.includes(s)) hits.push(`${source}: ${s.slice(0, 14)}...`);
  return hits;
}

/** A git workspace holding a copy of `files` (paths relative to `from`), committed. */
export function gitWorkspace(from: string, files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'wbvl-workspace-'));
  for (const f of files) cpSync(join(from, f), join(dir, f), { recursive: true });
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
      cwd: dir,
      encoding: 'utf8',
    });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'workspace');
  return dir;
}

/** `git status --porcelain` of a workspace, untracked and ignored files included. */
export function gitStatus(dir: string): string {
  return execFileSync(
    'git',
    ['status', '--porcelain', '--untracked-files=all', '--ignored=matching'],
    { cwd: dir, encoding: 'utf8' },
  );
}
