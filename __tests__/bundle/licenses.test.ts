// licenses.txt: the licenses of exactly the packages a bundle contains, the same bytes however
// the bundler orders its modules (check-dist compares it like any other file of dist/).
import { afterAll, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ncc from '@vercel/ncc';
import {
  bundledFiles,
  packageDirs,
  readPackageLicense,
  renderLicenses,
  writeThirdPartyLicenses,
} from '../../scripts/third-party-licenses.ts';
import type { BundleStats } from '../../scripts/third-party-licenses.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wbvl-licenses-'));
  dirs.push(dir);
  return dir;
}

function installed(root: string, path: string, pkg: object, files: Record<string, string>) {
  const dir = join(root, path);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const APACHE = 'Apache License\nVersion 2.0, January 2004\n';

test('files map to their innermost installed package; our own files to none', () => {
  expect(
    packageDirs([
      '/r/node_modules/a/lib/index.js',
      '/r/node_modules/a/lib/util.js',
      '/r/node_modules/a/node_modules/b/index.js',
      '/r/node_modules/@scope/c/build/src/x.js',
      '/r/src/main.ts',
    ]).sort(),
  ).toEqual(['/r/node_modules/@scope/c', '/r/node_modules/a', '/r/node_modules/a/node_modules/b']);
});

test('one entry per distinct license text, NOTICE files kept, packages without a file named', () => {
  const root = tempDir();
  const a = installed(
    root,
    'node_modules/a',
    { name: 'a', version: '1.0.0', license: 'MIT' },
    {
      LICENSE: 'MIT License\nCopyright (c) A\n',
    },
  );
  const g1 = installed(
    root,
    'node_modules/@g/one',
    { name: '@g/one', version: '2.0.0', license: 'Apache-2.0' },
    {
      LICENSE: APACHE,
    },
  );
  const g2 = installed(
    root,
    'node_modules/@g/two',
    { name: '@g/two', version: '3.1.0', license: 'Apache-2.0' },
    {
      LICENSE: APACHE,
    },
  );
  const n = installed(
    root,
    'node_modules/n',
    { name: 'n', version: '0.1.0', license: { type: 'BSD-3-Clause' } },
    {
      'LICENSE.md': 'BSD text',
      NOTICE: 'n includes software from elsewhere',
    },
  );
  const bare = installed(
    root,
    'node_modules/a/node_modules/bare',
    { name: 'bare', version: '9.9.9', license: 'ISC' },
    {
      'README.md': 'not a license',
    },
  );
  const packages = [a, g1, g2, n, bare].map(readPackageLicense);
  const text = renderLicenses(packages);
  expect(renderLicenses([...packages].reverse())).toBe(text);
  expect(text.split('\n').slice(3, 9)).toEqual([
    '5 packages:',
    '  @g/one@2.0.0 (Apache-2.0)',
    '  @g/two@3.1.0 (Apache-2.0)',
    '  a@1.0.0 (MIT)',
    '  bare@9.9.9 (ISC)',
    '  n@0.1.0 (BSD-3-Clause)',
  ]);
  expect(text.match(/Apache License/g)).toHaveLength(1);
  expect(text).toContain('@g/one@2.0.0, @g/two@3.1.0\nLicense: Apache-2.0\n\nApache License');
  expect(text).toContain('Copyright (c) A');
  expect(text).toContain(
    'LICENSE.md:\n\nBSD text\n\nNOTICE:\n\nn includes software from elsewhere',
  );
  expect(text).toContain('bare@9.9.9\nLicense: ISC\n\nThe package ships no license file');
  expect(text).not.toContain('not a license');
});

test('a real ncc bundle lists exactly the packages webpack put in it', async () => {
  const { stats } = (await ncc(resolve('__tests__/fixtures/licenses/entry.mjs'), {
    quiet: true,
    cache: false,
    target: 'es2023',
  })) as { stats: BundleStats };
  const files = bundledFiles(stats);
  expect(files).toContainEqual(resolve('__tests__/fixtures/licenses/own.mjs'));
  const out = tempDir();
  await writeThirdPartyLicenses(out, stats);
  const text = readFileSync(join(out, 'licenses.txt'), 'utf8');
  const listed = [...text.matchAll(/^ {2}(\S+)@\S+ \(/gm)].map((m) => m[1]);
  expect(listed).toEqual(expect.arrayContaining(['@actions/io', 'yaml']));
  // Installed but not imported by the entry: not in the bundle, not in the file.
  expect(listed).not.toContain('@actions/core');
  expect(listed).not.toContain('jest');
  const yamlVersion = (
    JSON.parse(readFileSync('node_modules/yaml/package.json', 'utf8')) as { version: string }
  ).version;
  expect(text).toContain(`  yaml@${yamlVersion} (ISC)`);
  expect(text).toContain(readFileSync('node_modules/yaml/LICENSE', 'utf8').trim());
}, 120_000);
