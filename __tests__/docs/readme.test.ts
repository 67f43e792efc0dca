import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { readmeTables, withTables } from '../../scripts/readme-tables.ts';

const actionYml = readFileSync('action.yml', 'utf8');
const readme = readFileSync('README.md', 'utf8');

test('README inputs and outputs tables equal action.yml', () => {
  expect(withTables(readme, readmeTables(actionYml))).toBe(readme);
});

test('every input and output of action.yml is named in the README', () => {
  const spec = parse(actionYml) as { inputs: object; outputs: object };
  for (const name of [...Object.keys(spec.inputs), ...Object.keys(spec.outputs)]) {
    expect(readme).toContain(`| \`${name}\` |`);
  }
});

test('descriptions show as written on GitHub: no <placeholder> outside code, where it would be read as a tag', () => {
  const spec = parse(actionYml) as Record<
    'inputs' | 'outputs',
    Record<string, { description: string }>
  >;
  for (const [name, item] of [...Object.entries(spec.inputs), ...Object.entries(spec.outputs)]) {
    const outsideCode = item.description.replace(/`[^`]*`/g, '');
    expect({ name, tag: /<[a-z][^>]*>/i.exec(outsideCode)?.[0] }).toEqual({ name, tag: undefined });
  }
});

test('action.yml runs on node24 with the main and post bundles', () => {
  const spec = parse(actionYml) as { runs: Record<string, string> };
  expect(spec.runs).toEqual({
    using: 'node24',
    main: 'dist/main/index.js',
    post: 'dist/post/index.js',
  });
});

test('the README shows a set-up command and the test command', () => {
  expect(readme).toMatch(/npm ci/);
  expect(readme).toMatch(/npm test/);
});

test("SECURITY.md's threat model names an existing test for every guarantee", () => {
  const text = readFileSync('SECURITY.md', 'utf8');
  const table = text.slice(text.indexOf('**Guaranteed**'), text.indexOf('**Not guaranteed:**'));
  const rows = table.split('\n').filter((l) => l.startsWith('| ') && !/^\| (guarantee|-)/.test(l));
  expect(rows.length).toBeGreaterThanOrEqual(10);
  for (const row of rows) {
    const cell = row.split('|')[2];
    // A bare file name stands in the folder of the full path before it.
    let folder = '';
    const files = [...cell.matchAll(/`([^`]+\.test\.ts)`/g)].map(([, name]) => {
      if (name.includes('/')) folder = name.slice(0, name.lastIndexOf('/') + 1);
      return name.includes('/') ? name : folder + name;
    });
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(existsSync(file)).toBe(true);
  }
});
