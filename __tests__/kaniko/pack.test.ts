// The build-context archive: reproducible (the same context gives the same bytes, whatever
// the files' times), exactly the entries the context digest covers, readable by GNU tar with
// modes, symlinks and long names intact, and refused when a file changes after hashing.
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tarHeader } from '../../src/core/image/tar.ts';
import { digestContext } from '../../src/docker/context-digest.ts';
import { packContext } from '../../src/kaniko/pack.ts';

let root: string;
let ctxDir: string;
const LONG = `${'deep/'.repeat(25)}a-file-with-a-rather-long-name.txt`;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'wbvl-pack-'));
  ctxDir = path.join(root, 'ctx');
  await mkdir(path.join(ctxDir, 'src', 'pkg'), { recursive: true });
  await writeFile(path.join(ctxDir, 'Dockerfile'), 'FROM scratch\nCOPY . /app/\n');
  await writeFile(path.join(ctxDir, '.dockerignore'), 'logs/\n*.tmp\n');
  await writeFile(path.join(ctxDir, 'src', 'pkg', 'train.py'), 'print("hi")\n');
  await writeFile(path.join(ctxDir, 'run.sh'), '#!/bin/sh\necho run\n');
  chmodSync(path.join(ctxDir, 'run.sh'), 0o755);
  await symlink('src/pkg/train.py', path.join(ctxDir, 'entry.py'));
  await mkdir(path.join(ctxDir, 'logs'));
  await writeFile(path.join(ctxDir, 'logs', 'x.log'), 'ignored');
  await writeFile(path.join(ctxDir, 'scratch.tmp'), 'ignored');
  await mkdir(path.join(ctxDir, path.dirname(LONG)), { recursive: true });
  await writeFile(path.join(ctxDir, LONG), 'long\n');
  await writeFile(path.join(ctxDir, 'big.bin'), Buffer.alloc(3 * 1024 * 1024 + 7, 0x5a));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const digest = () =>
  digestContext({
    contextDir: ctxDir,
    dockerfile: path.join(ctxDir, 'Dockerfile'),
    buildArgs: {},
    platform: 'linux/amd64',
  });

/** Writes `text` to the context's `file` for `fn`, then puts the file back as it was. */
async function withFile<T>(file: string, text: string, fn: () => Promise<T>): Promise<T> {
  const at = path.join(ctxDir, file);
  const before = readFileSync(at);
  await writeFile(at, text);
  try {
    return await fn();
  } finally {
    await writeFile(at, before);
  }
}

async function pack(name: string) {
  const out = path.join(root, name);
  const result = await packContext(ctxDir, (await digest()).entries, out);
  return { out, result, bytes: readFileSync(out) };
}

test('GNU tar reads back exactly the entries after .dockerignore, with content, modes and links', async () => {
  const { out, result } = await pack('a.tar.gz');
  const listing = execFileSync('tar', ['-tzvf', out], { encoding: 'utf8' });
  const names = execFileSync('tar', ['-tzf', out], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  expect(names).not.toContain('logs/');
  expect(names.some((n) => n.endsWith('.tmp') || n.startsWith('logs'))).toBe(false);
  expect(names).toEqual(
    expect.arrayContaining([
      '.dockerignore',
      'Dockerfile',
      'src/',
      'src/pkg/',
      'src/pkg/train.py',
      'run.sh',
      'entry.py',
      LONG,
      'big.bin',
    ]),
  );
  expect(result.entries).toBe(names.length);
  expect(result.skipped).toEqual([]);
  // Sorted by path, owned by root, at the epoch.
  expect([...names].sort((a, b) => (a.replace(/\/$/, '') < b.replace(/\/$/, '') ? -1 : 1))).toEqual(
    names,
  );
  expect(listing).toMatch(/^-rwxr-xr-x 0\/0 +\d+ 1970-01-01 00:00 run\.sh$/m);
  expect(listing).toMatch(
    /^lrwxrwxrwx 0\/0 +0 1970-01-01 00:00 entry\.py -> src\/pkg\/train\.py$/m,
  );

  const x = path.join(root, 'x');
  await mkdir(x);
  execFileSync('tar', ['-xzf', out, '-C', x]);
  expect(readFileSync(path.join(x, LONG), 'utf8')).toBe('long\n');
  expect(
    readFileSync(path.join(x, 'big.bin')).equals(readFileSync(path.join(ctxDir, 'big.bin'))),
  ).toBe(true);
  expect(readFileSync(path.join(x, 'entry.py'), 'utf8')).toBe('print("hi")\n');
});

test('reproducible: new times give the same bytes; a changed file gives others', async () => {
  const first = await pack('r1.tar.gz');
  await utimes(path.join(ctxDir, 'run.sh'), new Date(2001, 1, 1), new Date(2001, 1, 1));
  await utimes(path.join(ctxDir, 'src', 'pkg'), new Date(), new Date());
  const second = await pack('r2.tar.gz');
  expect(second.bytes.equals(first.bytes)).toBe(true);
  const third = await withFile('src/pkg/train.py', 'print("bye")\n', () => pack('r3.tar.gz'));
  expect(third.bytes.equals(first.bytes)).toBe(false);
});

test('a file changed between hashing and packing is refused, not archived under the old name', async () => {
  const { entries } = await digest();
  await withFile('run.sh', '#!/bin/sh\necho changed\n', () =>
    expect(packContext(ctxDir, entries, path.join(root, 'c.tar.gz'))).rejects.toThrow(
      /run\.sh changed while the build context was packed/,
    ),
  );
});

test('fifos are left out and named', async () => {
  const dir = path.join(root, 'fifo');
  await mkdir(dir);
  await writeFile(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
  execFileSync('mkfifo', [path.join(dir, 'pipe')]);
  const d = await digestContext({
    contextDir: dir,
    dockerfile: path.join(dir, 'Dockerfile'),
    buildArgs: {},
    platform: 'linux/amd64',
  });
  const r = await packContext(dir, d.entries, path.join(root, 'f.tar.gz'));
  expect(r.skipped).toEqual(['pipe']);
  expect(r.entries).toBe(1);
});

test('ustar headers: checksum and fields as tar computes them; pax for long and non-ASCII names', () => {
  const h = tarHeader({ path: 'a/b.txt', type: 'file', mode: 0o644, size: 5 });
  expect(h).toHaveLength(512);
  expect(h.subarray(0, 7).toString()).toBe('a/b.txt');
  expect(h.subarray(124, 136).toString()).toBe('00000000005\0');
  expect(h.subarray(257, 263).toString()).toBe('ustar\0');
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  expect(parseInt(h.subarray(148, 154).toString(), 8)).toBe(sum);
  const dir = tarHeader({ path: 'a', type: 'dir', mode: 0o755, size: 0 });
  expect(dir.subarray(0, 2).toString()).toBe('a/');
  expect(String.fromCharCode(dir[156])).toBe('5');
  const long = tarHeader({ path: 'x'.repeat(150), type: 'file', mode: 0o644, size: 0 });
  expect(long.length).toBe(512 * 3);
  expect(String.fromCharCode(long[156])).toBe('x');
  expect(long.subarray(512, 1024).toString()).toContain(` path=${'x'.repeat(150)}\n`);
  const utf = tarHeader({ path: 'données.txt', type: 'file', mode: 0o644, size: 0 });
  expect(utf.subarray(512, 1024).toString('utf8')).toMatch(/^\d+ path=données\.txt\n/);
});
