// File inputs resolve inside the workspace: a queue config that is a symbolic link to
// /proc/self/environ, or a `..` path, is a located input error that quotes nothing of what lies
// outside; the bundled action on a pull request, with the GitHub stand-in watching every call.
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, type ActionResult } from '../helpers/action-runner.ts';
import { startReportingWorld, type ReportingWorld } from '../action-reporting/setup.ts';

const CANARY = 'canary-3f9c2e7d51a84b06';
let world: ReportingWorld;
let workspace: string;
let outside: string;

beforeAll(async () => {
  world = await startReportingWorld();
  const root = await mkdtemp(path.join(os.tmpdir(), 'wbvl-paths-'));
  workspace = path.join(root, 'ws');
  outside = path.join(root, 'outside');
  await mkdir(path.join(workspace, '.github'), { recursive: true });
  await mkdir(outside);
  await copyFile(
    path.join(REPO_ROOT, 'examples/queue-config.yaml'),
    path.join(workspace, 'queue.yaml'),
  );
  await writeFile(path.join(outside, 'queue.yaml'), `# ${CANARY}\nspec: ${CANARY}\n`);
  await symlink('/proc/self/environ', path.join(workspace, '.github', 'vertex-queue.yaml'));
  await symlink(path.join(outside, 'queue.yaml'), path.join(workspace, 'linked-out.yaml'));
  await symlink(outside, path.join(workspace, 'linked-dir'));
  await symlink('queue.yaml', path.join(workspace, 'linked-in.yaml'));
});
afterAll(async () => {
  await world?.close();
  if (workspace) await rm(path.dirname(workspace), { recursive: true, force: true });
});
beforeEach(async () => {
  world.vertex.reset();
  await world.resetGitHub();
});

function launch(inputs: Record<string, string>): Promise<ActionResult> {
  return world.launch({ 'pr-comment': 'true', ...inputs }, workspace, { CANARY_VALUE: CANARY });
}

/** Everything the step left anywhere: log, outputs, summary, and every GitHub request body. */
function everything(result: ActionResult): string {
  return [
    result.stdout,
    result.stderr,
    result.summary,
    JSON.stringify(result.outputWrites),
    JSON.stringify(world.github.requests),
  ].join('\n');
}

function expectLocatedRefusal(result: ActionResult, input: string) {
  expect(result.code).toBe(1);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]).toContain(`${input}: `);
  expect(result.errors[0]).toContain('outside the workspace');
  expect(world.vertex.record().calls.filter((c) => c.method === 'CreateCustomJob')).toEqual([]);
}

test('a queue config linked to /proc/self/environ leaks nothing: no env, no input, no token', async () => {
  const result = await launch({ 'queue-config': '.github/vertex-queue.yaml' });
  expectLocatedRefusal(result, 'queue-config');
  expect(result.errors[0]).toContain('symbolic link');
  const all = everything(result);
  for (const leaked of [CANARY, 'ghs_testtoken', 'INPUT_', 'GITHUB_API_URL=', 'PATH='])
    expect(all).not.toContain(leaked);
  expect(world.github.requests).toEqual([]);
}, 30_000);

test('a link to a file or a folder outside, a `..` and an absolute path out are refused, each naming its input', async () => {
  for (const [input, value] of [
    ['queue-config', 'linked-out.yaml'],
    ['queue-config', 'linked-dir/queue.yaml'],
    ['queue-config', '../outside/queue.yaml'],
    ['queue-config', path.join(outside, 'queue.yaml')],
  ]) {
    const result = await launch({ [input]: value });
    expectLocatedRefusal(result, input);
    expect(everything(result)).not.toContain(CANARY);
  }
  for (const input of ['context', 'dockerfile']) {
    const result = await launch({
      'queue-config': 'queue.yaml',
      [input]: input === 'context' ? 'linked-dir' : '../outside/Dockerfile',
    });
    expectLocatedRefusal(result, input);
  }
}, 60_000);

test('a link that stays inside the workspace is read; inline YAML still works', async () => {
  const linked = await launch({ 'queue-config': 'linked-in.yaml', 'dry-run': 'true' });
  expect(linked.errors).toEqual([]);
  expect(linked.code).toBe(0);
  const inline = await launch({
    'dry-run': 'true',
    'queue-config': [
      'spec:',
      '  worker_pool_specs:',
      '    - machine_spec: { machine_type: n1-standard-4 }',
      '      replica_count: 1',
      '      container_spec: { image_uri: "${image_uri}" }',
      '  staging_bucket: gs://my-staging',
    ].join('\n'),
  });
  expect(inline.errors).toEqual([]);
  expect(inline.code).toBe(0);
}, 30_000);

test('a path-looking queue-config that does not exist is a missing file, not an inline config', async () => {
  const result = await launch({ 'queue-config': 'configs/vertex-queue.yaml' });
  expect(result.code).toBe(1);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]).toContain('queue-config: cannot read "configs/vertex-queue.yaml"');
  expect(result.errors[0]).toContain('no such file');
  expect(result.errors[0]).not.toContain('spec');
}, 30_000);
