// The content-addressed tag: what changes it and what does not, on real directories.
import { chmod, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../src/core/errors.ts';
import {
  commitTag,
  contextTag,
  digestRecords,
  isValidTag,
} from '../../src/core/image/digest-policy.ts';
import { digestContext } from '../../src/docker/context-digest.ts';

let dir: string;
const base = () => ({
  contextDir: dir,
  dockerfile: path.join(dir, 'Dockerfile'),
  buildArgs: { A: '1' } as Record<string, string>,
  platform: 'linux/amd64',
});
const tag = async (overrides: Partial<ReturnType<typeof base>> = {}) =>
  (await digestContext({ ...base(), ...overrides })).tag;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wbvl-ctx-'));
  await writeFile(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
  await writeFile(path.join(dir, 'train.py'), 'print(1)\n');
  await mkdir(path.join(dir, 'data'));
  await writeFile(path.join(dir, 'data', 'x.csv'), 'a,b\n');
  await writeFile(path.join(dir, '.dockerignore'), '*.tmp\ncache/\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('digestContext', () => {
  test('is stable and shaped ctx-<20 hex>', async () => {
    const a = await digestContext(base());
    expect(a.tag).toMatch(/^ctx-[0-9a-f]{20}$/);
    expect(a.tag).toBe(await tag());
    expect(a.files).toBe(4); // Dockerfile, .dockerignore, train.py, data/x.csv
    expect(a.ignoreFile).toBe('.dockerignore');
  });

  test.each<[string, () => Promise<unknown>]>([
    ['file content', () => writeFile(path.join(dir, 'train.py'), 'print(2)\n')],
    ['a new file', () => writeFile(path.join(dir, 'new.py'), '')],
    ['an empty directory', () => mkdir(path.join(dir, 'empty'))],
    ['file mode', () => chmod(path.join(dir, 'train.py'), 0o755)],
    [
      'a rename',
      () =>
        import('node:fs/promises').then((f) =>
          f.rename(path.join(dir, 'train.py'), path.join(dir, 'main.py')),
        ),
    ],
    ['a symlink', () => symlink('train.py', path.join(dir, 'link'))],
    [
      'the Dockerfile',
      () => writeFile(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY . /app/\n'),
    ],
    [
      '.dockerignore un-ignoring a file',
      async () => {
        await writeFile(path.join(dir, 'x.tmp'), 'x');
        const before = await tag();
        await writeFile(path.join(dir, '.dockerignore'), 'cache/\n');
        return before;
      },
    ],
  ])('changes with %s', async (_what, change) => {
    const before = await tag();
    const earlier = await change();
    const after = await tag();
    expect(after).not.toBe(typeof earlier === 'string' ? earlier : before);
  });

  test('changes with build args and platform', async () => {
    const t = await tag();
    expect(await tag({ buildArgs: { A: '2' } })).not.toBe(t);
    expect(await tag({ buildArgs: { A: '1', B: '' } })).not.toBe(t);
    expect(await tag({ platform: 'linux/arm64' })).not.toBe(t);
  });

  test.each<[string, () => Promise<unknown>]>([
    ['an ignored file', () => writeFile(path.join(dir, 'scratch.tmp'), 'x')],
    [
      'a file in an ignored directory',
      async () => {
        await mkdir(path.join(dir, 'cache'));
        await writeFile(path.join(dir, 'cache', 'big.bin'), 'x');
      },
    ],
    ['modification times', () => utimes(path.join(dir, 'train.py'), 1, 1)],
    ['build-arg order', async () => undefined],
  ])('does not change with %s', async (what, change) => {
    const before = await tag({ buildArgs: { A: '1', B: '2' } });
    await change();
    const args = what === 'build-arg order' ? { B: '2', A: '1' } : { A: '1', B: '2' };
    expect(await tag({ buildArgs: args })).toBe(before);
  });

  test('a Dockerfile-specific ignore file wins (BuildKit rule)', async () => {
    await mkdir(path.join(dir, 'docker'));
    await writeFile(path.join(dir, 'docker', 'train.Dockerfile'), 'FROM scratch\n');
    await writeFile(path.join(dir, 'docker', 'train.Dockerfile.dockerignore'), 'data\n');
    const r = await digestContext({
      ...base(),
      dockerfile: path.join(dir, 'docker', 'train.Dockerfile'),
    });
    expect(r.ignoreFile).toBe('docker/train.Dockerfile.dockerignore');
    const before = r.tag;
    await writeFile(path.join(dir, 'data', 'x.csv'), 'changed\n');
    expect(await tag({ dockerfile: path.join(dir, 'docker', 'train.Dockerfile') })).toBe(before);
  });

  test('missing context or Dockerfile is a located build error', async () => {
    await expect(
      digestContext({ ...base(), contextDir: path.join(dir, 'nope') }),
    ).rejects.toMatchObject({
      phase: 'build',
      problems: [{ path: 'context' }],
    });
    const err = await digestContext({ ...base(), dockerfile: path.join(dir, 'Nope') }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err.problems[0].path).toBe('dockerfile');
  });

  test('honours an abort signal', async () => {
    const ac = new AbortController();
    ac.abort();
    for (let i = 0; i < 50; i++) await writeFile(path.join(dir, `f${i}`), 'x'.repeat(1 << 20));
    await expect(digestContext({ ...base(), signal: ac.signal })).rejects.toThrow();
  });
});

describe('digest policy', () => {
  test('records are canonical: entry order does not matter, names are unambiguous', () => {
    const e = (p: string) => ({ path: p, type: 'file' as const, mode: 0o644, contentSha256: 'ab' });
    const rec = (paths: string[]) =>
      [
        ...digestRecords({
          entries: paths.map(e),
          dockerfileSha256: 'df',
          buildArgs: {},
          platform: 'p',
        }),
      ].join('');
    expect(rec(['b', 'a'])).toBe(rec(['a', 'b']));
    expect(rec(['a b'])).not.toBe(rec(['a', 'b']));
    expect(rec(['a\nfile 0644 ab "b"'])).not.toBe(rec(['a', 'b']));
  });
  test('tags', () => {
    expect(contextTag('0123456789abcdef'.repeat(4))).toBe('ctx-0123456789abcdef0123');
    expect(() => contextTag('xyz')).toThrow();
    expect(isValidTag('a'.repeat(128))).toBe(true);
    expect(isValidTag('a'.repeat(129))).toBe(false);
    expect(isValidTag('-x')).toBe(false);
    expect(commitTag('  ' + 'f'.repeat(40) + ' ')).toBe('f'.repeat(40));
    expect(commitTag('refs/heads/x')).toBeUndefined();
    expect(commitTag(undefined)).toBeUndefined();
  });
});
