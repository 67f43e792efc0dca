// The size limit of remote builds: which parts of an oversized context the error suggests
// excluding, and how it says so.
import {
  CONTEXT_SIZE_LIMIT,
  formatBytes,
  largestExcludable,
  oversizeMessage,
} from '../../src/core/image/context-size.ts';

const MiB = 1024 * 1024;

test('the limit is 500 MiB; sizes print in binary units', () => {
  expect(CONTEXT_SIZE_LIMIT).toBe(500 * MiB);
  expect(formatBytes(999)).toBe('999 B');
  expect(formatBytes(1536)).toBe('1.5 KiB');
  expect(formatBytes(612.4 * MiB)).toBe('612.4 MiB');
  expect(formatBytes(3 * 1024 * MiB)).toBe('3.0 GiB');
});

test('the largest top-level parts, largest first', () => {
  const files = [
    { path: 'Dockerfile', size: 100 },
    { path: 'src/train.py', size: 20 * MiB },
    { path: 'src/model.py', size: 10 * MiB },
    { path: 'data/a.bin', size: 300 * MiB },
    { path: 'data/b.bin', size: 250 * MiB },
    { path: 'notes.md', size: 5 * MiB },
  ];
  expect(largestExcludable(files, ['Dockerfile'])).toEqual([
    { path: 'data/', size: 550 * MiB },
    { path: 'src/', size: 30 * MiB },
    { path: 'notes.md', size: 5 * MiB },
  ]);
  expect(largestExcludable(files, ['Dockerfile'], 1)).toEqual([{ path: 'data/', size: 550 * MiB }]);
});

test('a directory that one child fills stands as that child; a lone top directory is looked into', () => {
  const files = [
    { path: 'project/Dockerfile', size: 1 },
    { path: 'project/.git/objects/pack/big.pack', size: 400 * MiB },
    { path: 'project/.git/index', size: 1 * MiB },
    { path: 'project/code/a.py', size: 2 * MiB },
  ];
  expect(largestExcludable(files, ['project/Dockerfile'])).toEqual([
    { path: 'project/.git/objects/pack/big.pack', size: 400 * MiB },
    { path: 'project/code/a.py', size: 2 * MiB },
  ]);
});

test('files the build needs are never suggested', () => {
  const files = [
    { path: 'Dockerfile', size: 600 * MiB },
    { path: '.dockerignore', size: 1 },
    { path: 'x', size: 1 },
  ];
  expect(largestExcludable(files, ['Dockerfile', '.dockerignore'])).toEqual([
    { path: 'x', size: 1 },
  ]);
});

test('the message names the size, the limit, the parts and the ignore file', () => {
  const text = oversizeMessage(
    612 * MiB,
    500 * MiB,
    [
      { path: 'data/', size: 550 * MiB },
      { path: 'src/', size: 62 * MiB },
    ],
    '.dockerignore',
  );
  expect(text).toBe(
    'the build context is 612.0 MiB after .dockerignore, over the 500.0 MiB limit of builder: kaniko ' +
      '(the context is packed and uploaded to Cloud Storage for every change). Its largest parts: ' +
      'data/ (550.0 MiB), src/ (62.0 MiB). Exclude what the image does not need with lines in ' +
      '.dockerignore (e.g. `data/`), or point the context input at a smaller directory.',
  );
  expect(oversizeMessage(600 * MiB, 500 * MiB, [], undefined)).toMatch(
    /^the build context is 600\.0 MiB, over .* lines in \.dockerignore \(e\.g\. `data\/`\)/,
  );
});
