// Checks the context walk against Docker itself: for several .dockerignore files, the files our
// walk says Docker sends must be exactly the files a `COPY . /ctx/` build puts in the image
// (Docker always sends the Dockerfile and .dockerignore, and COPY hides them when ignored).
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { contextEntries } from '../../src/docker/context-digest.ts';
import { dockerEnvUnavailable, startDockerEnv, type DockerTestEnv } from '../helpers/docker-env.ts';

const FILES = [
  'a.txt',
  'b.log',
  'c.md',
  'important.log',
  'spaced.txt',
  'weird name.txt',
  'weird_name.txt',
  'file1.txt',
  'file[1].txt',
  'a+b.txt',
  'dollar$.txt',
  '.env',
  '.env.example',
  'docs/readme.md',
  'docs/keep.md',
  'docs/sub/deep.md',
  'docs/sub/other.txt',
  'src/main.go',
  'src/main_test.go',
  'src/vendor/x.go',
  'src/lib/util.go',
  'build/out.bin',
  'build/keep/important.txt',
  'build/keep/other.txt',
  'logs/2024/app.log',
  'logs/2024/app.txt',
  'node_modules/pkg/index.js',
  '.git/config',
  'nested/.env',
  'nested/deeper/.env',
  'x/target.txt',
  'x/y/z/target.txt',
  'dir/keep',
  'dir/other',
  'sub/Dockerfile.extra',
];

const IGNORE_SETS: Record<string, string> = {
  mixed: [
    '# a comment',
    ' # not a comment: a pattern with a leading space',
    '*.log',
    '!important.log',
    '/docs/sub',
    'docs/*.md',
    '!docs/keep.md',
    'build',
    '!build/keep/important.txt',
    '**/.env',
    '!.env.example',
    'node_modules/',
    '**/vendor',
    'x/**/target.txt',
    'weird?name.txt',
    'file[1].txt',
    'a+b.txt',
    'dollar$.txt',
    './.git',
    '   spaced.txt   ',
    'Dockerfile',
    '.dockerignore',
  ].join('\n'),
  'everything-but-src': '*\n!src\n!**/*.md\n',
  'reexclude-after-exception': 'dir\n!dir/keep\ndir\n',
  doublestar: '**/*.go\n!src/main.go\ndocs/**\n!docs/**/deep.md\nlogs/**/*.log\n',
  'exception-order': '!a.txt\n*.txt\n!x/y\n',
};

// Docker 23 moved to moby/patternmatcher (regexp characters escaped, per-directory match
// results); older CLIs, such as Debian bookworm's 20.10, filter slightly differently.
function oldDockerCli(): string | undefined {
  try {
    const v = /version (\d+)\./.exec(execFileSync('docker', ['--version'], { encoding: 'utf8' }));
    return v && Number(v[1]) < 23
      ? `docker CLI ${v[1]}.x predates moby/patternmatcher (needs >= 23)`
      : undefined;
  } catch {
    return undefined;
  }
}
const unavailable = dockerEnvUnavailable ?? oldDockerCli();
const describeDocker = unavailable ? describe.skip : describe;
if (unavailable) {
  test.skip(`.dockerignore conformance against Docker skipped: ${unavailable}`, () => {});
}

describeDocker('.dockerignore: our context walk sends what Docker sends', () => {
  let env: DockerTestEnv;
  let work: string;
  beforeAll(async () => {
    env = await startDockerEnv();
    work = await mkdtemp(path.join(os.tmpdir(), 'wbvl-ign-'));
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  for (const [name, ignore] of Object.entries(IGNORE_SETS)) {
    test(`${name}`, async () => {
      const ctx = path.join(work, name);
      for (const f of FILES) {
        await mkdir(path.dirname(path.join(ctx, f)), { recursive: true });
        await writeFile(path.join(ctx, f), `${f}\n`);
      }
      await symlink('a.txt', path.join(ctx, 'link-to-a'));
      await writeFile(path.join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY . /ctx/\n');
      await writeFile(path.join(ctx, '.dockerignore'), ignore);

      const ours = (
        await contextEntries({
          contextDir: ctx,
          dockerfile: path.join(ctx, 'Dockerfile'),
          buildArgs: {},
          platform: 'linux/amd64',
        })
      )
        .filter((e) => e.type !== 'dir')
        .map((e) => e.path)
        .sort();

      const image = `ignore-${name}:test`;
      env.docker(['build', '-q', '-t', image, ctx]);
      const id = env.docker(['create', image, '/none']).trim();
      const tarFile = path.join(work, `${name}.tar`);
      env.docker(['export', '-o', tarFile, id]);
      const listed = execFileSync('tar', ['-tvf', tarFile], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('d'))
        .map((l) =>
          l
            .replace(/ -> .*$/, '')
            .split(/\s+/)
            .slice(5)
            .join(' '),
        )
        .filter((p) => p.startsWith('ctx/'))
        .map((p) => p.slice('ctx/'.length))
        .sort();
      // Both are always sent; the daemon then drops them from what COPY sees when ignored.
      expect(ours).toEqual(expect.arrayContaining(['Dockerfile', '.dockerignore']));
      const buildFiles = (p: string) => p !== 'Dockerfile' && p !== '.dockerignore';
      expect(ours.filter(buildFiles)).toEqual(listed.filter(buildFiles));
      expect(listed.length).toBeGreaterThan(3);
    }, 30_000);
  }
});
