// `wb-vertex-launch reconcile` as a process, against the Vertex emulator and the GitHub REST
// stand-in: the same reconcile as the action's step, the token from GITHUB_TOKEN only.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/emulator.ts';
import { startVertexEmulator, type VertexEmulator } from '../../emulators/vertex/emulator.ts';

const root = join(import.meta.dirname, '..', '..');
const NODE = join(root, 'node_modules', '.bin', 'node');
const CLI = resolve(root, process.env.WBVL_CLI || 'src/cli/index.ts');
const SHA = 'c0ffee'.padEnd(40, '0');
const TOKEN = 'ghs_clireconciletoken000000000000000';

let vertex: VertexEmulator;
let github: GitHubEmulator;
beforeAll(async () => {
  vertex = await startVertexEmulator({ tickMs: 20 });
  github = await startGitHubEmulator();
});
afterAll(async () => {
  await Promise.all([vertex?.stop(), github?.close()]);
});

function cli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(
      NODE,
      [CLI, ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 },
      (err, stdout, stderr) =>
        done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const labels = (repository: string) => ({
  'managed-by': 'wb-vertex-launch',
  'github-repository': repository,
  'github-head-sha': SHA,
  'wb-vertex-launch-wait': 'detached',
  'wandb-run-id': 'abcd1234',
});

test('completes the open check run of an ended launch of the repository, and only that', async () => {
  const parent = 'projects/my-project-123/locations/us-central1';
  const spec = { workerPoolSpecs: [{ machineSpec: { machineType: 'n1-standard-4' } }] };
  const mine = vertex.seedJob({
    parent,
    customJob: { displayName: 'mine', jobSpec: spec, labels: labels('octo_trainer') },
    agoMs: 60_000,
  });
  const theirs = vertex.seedJob({
    parent,
    customJob: { displayName: 'theirs', jobSpec: spec, labels: labels('octo_other') },
    agoMs: 60_000,
  });
  const open = (external_id: string, id: number) =>
    github.checkRuns.set(id, {
      id,
      name: 'Vertex AI: train',
      head_sha: SHA,
      status: 'in_progress',
      conclusion: null,
      external_id,
      output: { annotations_count: 0 },
      annotations: [],
    });
  open(mine, 1);
  open(theirs, 2);

  const args = ['reconcile', '--project', 'my-project-123', '--region', 'us-central1'];
  const env = {
    GITHUB_TOKEN: TOKEN,
    GITHUB_REPOSITORY: 'octo/trainer',
    GITHUB_API_URL: github.url,
  };
  const endpoint = ['--vertex-endpoint', `http://${vertex.grpcAddress}`];
  const result = await cli([...args, ...endpoint], env);
  expect(result.stderr).not.toContain(TOKEN);
  expect(result.code).toBe(0);
  const summary = JSON.parse(result.stdout);
  expect(summary).toMatchObject({ listed: 1, candidates: 1, pages: 1 });
  expect(summary.reconciled).toEqual([
    { job: mine, state: 'JOB_STATE_SUCCEEDED', checkRun: 1, conclusion: 'success', pr: null },
  ]);
  expect(github.checkRuns.get(1)).toMatchObject({ status: 'completed', conclusion: 'success' });
  expect(github.checkRuns.get(2)).toMatchObject({ status: 'in_progress' });
  expect(github.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);

  const again = await cli([...args, ...endpoint], env);
  expect(JSON.parse(again.stdout).reconciled).toEqual([]);

  const missing = await cli(args, { GITHUB_REPOSITORY: 'octo/trainer' });
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('GITHUB_TOKEN in the environment');
});
