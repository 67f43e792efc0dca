// .dockerignore semantics, table-driven from Docker's documentation: reading rules, `*`, `?`,
// `**`, `!` exceptions (last match wins), leading `/`, directories matching their contents,
// and the Dockerfile / .dockerignore always being sent.
import {
  canSkipExcludedDir,
  cleanPath,
  compilePatterns,
  keepBuildFiles,
  matchPath,
  readIgnoreFile,
} from '../../src/core/image/dockerignore.ts';

const excluded = (patterns: string[], p: string) =>
  matchPath(compilePatterns(patterns), p, undefined).excluded;

describe('readIgnoreFile', () => {
  test.each([
    ['# comment\n*.log\n', ['*.log']],
    ['  spaced.txt  \n\n\t\n', ['spaced.txt']],
    [' # not a comment\n', ['# not a comment']],
    ['/abs/path\n', ['abs/path']],
    ['./a/../b//c/\n', ['b/c']],
    ['!/keep\n! spaced \n', ['!keep', '!spaced']],
    ['\uFEFFfirst\r\nsecond\r\n', ['first', 'second']],
    ['/\n', ['/']],
  ])('%j', (text, expected) => {
    expect(readIgnoreFile(text)).toEqual(expected);
  });
});

describe('cleanPath (Go path.Clean)', () => {
  test.each([
    ['a/b/../c', 'a/c'],
    ['./a', 'a'],
    ['a//b/', 'a/b'],
    ['../a', '../a'],
    ['/../a', '/a'],
    ['', '.'],
    ['.', '.'],
  ])('%s -> %s', (input, out) => expect(cleanPath(input)).toBe(out));
});

describe('matching (Docker documentation examples)', () => {
  test.each<[string[], string, boolean]>([
    // `*/temp*`: one level below the root only
    [['*/temp*'], 'somedir/temporary.txt', true],
    [['*/temp*'], 'somedir/temp', true],
    [['*/temp*'], 'temp.txt', false],
    [['*/temp*'], 'a/b/temp.txt', false],
    // `*/*/temp*`: two levels below the root
    [['*/*/temp*'], 'somedir/subdir/temporary.txt', true],
    [['*/*/temp*'], 'somedir/temporary.txt', false],
    // `temp?`: one character
    [['temp?'], 'tempa', true],
    [['temp?'], 'temp', false],
    [['temp?'], 'tempab', false],
    [['temp?'], 'temp/', false],
    // `**` any number of directories, including none
    [['**/*.go'], 'main.go', true],
    [['**/*.go'], 'a/b/c/main.go', true],
    [['**/*.go'], 'a/b/c/main.goo', false],
    [['a/**/b'], 'a/b', true],
    [['a/**/b'], 'a/x/y/b', true],
    [['a/**'], 'a/x/y', true],
    [['**'], 'anything/at/all', true],
    // a directory pattern excludes its contents
    [['build'], 'build/out/bin', true],
    [['build/'], 'build/x', true],
    [['build'], 'rebuild/x', false],
    [['docs/*.md'], 'docs/sub/x.md', false],
    [['docs/*.md'], 'docs/x.md', true],
    // leading slash and ./ are the context root
    [['/secret.txt'], 'secret.txt', true],
    [['./secret.txt'], 'secret.txt', true],
    [['secret.txt'], 'sub/secret.txt', false],
    // exceptions: the last matching line wins
    [['*.md', '!README.md'], 'README.md', false],
    [['*.md', '!README.md'], 'CHANGES.md', true],
    [['*.md', '!README*.md', 'README-secret.md'], 'README-secret.md', true],
    [['*.md', '!README*.md', 'README-secret.md'], 'README-public.md', false],
    [['!README.md', '*.md'], 'README.md', true],
    // character classes and escapes
    [['file[0-9].txt'], 'file7.txt', true],
    [['file[0-9].txt'], 'filex.txt', false],
    [['file[^0-9].txt'], 'filex.txt', true],
    [['file\\*.txt'], 'file*.txt', true],
    [['file\\*.txt'], 'fileX.txt', false],
    // regexp characters are literal
    [['a+b.txt'], 'a+b.txt', true],
    [['a+b.txt'], 'aab.txt', false],
    [['a.txt'], 'abtxt', false],
    [['(x)|y'], '(x)|y', true],
    [['$HOME'], '$HOME', true],
  ])('%j on %s -> %s', (patterns, p, expected) => {
    expect(excluded(readIgnoreFile(patterns.join('\n')), p)).toBe(expected);
  });
});

describe('parent results (Docker walks directories top-down)', () => {
  test('a child inherits its directory match', () => {
    const pats = compilePatterns(['build']);
    const dir = matchPath(pats, 'build', undefined);
    expect(dir.excluded).toBe(true);
    expect(matchPath(pats, 'build/x', dir.info).excluded).toBe(true);
  });
  test('re-excluding after an exception: a pattern skipped at the parent is checked on the child only', () => {
    // Docker's MatchesUsingParentResults: `dir` (3rd line) is not re-checked against the parent
    // once the parent's state made it irrelevant, so dir/keep stays included.
    const pats = compilePatterns(['dir', '!dir/keep', 'dir']);
    const dir = matchPath(pats, 'dir', undefined);
    expect(matchPath(pats, 'dir/keep', dir.info).excluded).toBe(false);
    expect(matchPath(pats, 'dir/other', dir.info).excluded).toBe(true);
  });
});

describe('canSkipExcludedDir', () => {
  test.each<[string[], string, boolean]>([
    [['build'], 'build', true],
    [['build', '!build/keep/x.txt'], 'build', false],
    [['build', '!build/keep/x.txt'], 'build/keep', false],
    [['build', '!build/keep/x.txt'], 'build/other', true],
    // Docker compares literal prefixes only: a wildcard exception does not reach inside
    [['docs', '!**/*.md'], 'docs', true],
  ])('%j, %s -> %s', (patterns, dir, expected) => {
    expect(canSkipExcludedDir(compilePatterns(patterns), dir)).toBe(expected);
  });
});

describe('keepBuildFiles: the Dockerfile and .dockerignore are always sent', () => {
  test('adds exceptions only when they are excluded', () => {
    expect(keepBuildFiles(['*.log'], 'Dockerfile')).toEqual(['*.log']);
    expect(keepBuildFiles(['*'], 'docker/Dockerfile')).toEqual([
      '*',
      '!.dockerignore',
      '!docker/Dockerfile',
    ]);
    expect(keepBuildFiles(['Dockerfile', '.dockerignore'], 'Dockerfile')).toEqual([
      'Dockerfile',
      '.dockerignore',
      '!.dockerignore',
      '!Dockerfile',
    ]);
    expect(keepBuildFiles(['*'], undefined)).toEqual(['*', '!.dockerignore']);
  });
});
