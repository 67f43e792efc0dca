// A pull request from a fork launches nothing unless allow-fork-pull-requests is true, even on
// a runner with Application Default Credentials (the metadata server of a self-hosted runner on
// Google Cloud): the bundled action against a TLS Vertex emulator that accepts only the tokens
// that metadata server issues, and the GitHub stand-in.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { IssuedToken } from '../../emulators/google-auth/sts.ts';
import { startMetadataServer, type MetadataServer } from '../../emulators/google-auth/metadata.ts';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/emulator.ts';
import { startVertexEmulator, type VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { forkHeadOf } from '../../src/github/run-info.ts';
import { runAction, type ActionResult } from '../helpers/action-runner.ts';
import { makeThrowawayTls, type ThrowawayTls } from '../helpers/tls.ts';

let tls: ThrowawayTls;
let metadata: MetadataServer;
let vertex: VertexEmulator;
let github: GitHubEmulator;
let dir: string;

beforeAll(async () => {
  tls = makeThrowawayTls();
  metadata = await startMetadataServer('runner-project');
  vertex = await startVertexEmulator({
    tls: { cert: tls.cert, key: tls.key },
    requireToken: true,
    tickMs: 60,
  });
  const push = metadata.issued.push.bind(metadata.issued);
  metadata.issued.push = (...tokens: IssuedToken[]) => {
    vertex.acceptTokens(...tokens.map((t) => t.token));
    return push(...tokens);
  };
  github = await startGitHubEmulator();
  dir = await mkdtemp(path.join(os.tmpdir(), 'wbvl-fork-'));
});
afterAll(async () => {
  await Promise.all([vertex?.stop(), metadata?.close(), github?.close()]);
  tls?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function pullRequest(headRepo: unknown) {
  return {
    action: 'synchronize',
    number: 5,
    pull_request: {
      number: 5,
      head: { sha: 'feedfacefeedfacefeedfacefeedfacefeedface', ref: 'patch-1', repo: headRepo },
      base: { ref: 'main', repo: { full_name: 'org/repo' } },
    },
    repository: { full_name: 'org/repo' },
  };
}
const FORK = { full_name: 'mallory/repo', fork: true, owner: { login: 'mallory' } };

async function launch(inputs: Record<string, string> = {}): Promise<ActionResult> {
  const eventPath = path.join(dir, `event-${Date.now()}.json`);
  await writeFile(eventPath, JSON.stringify(pullRequest(FORK)));
  return runAction({
    inputs: {
      'queue-config': 'examples/queue-config.yaml',
      region: 'us-central1',
      image: 'us-docker.pkg.dev/runner-project/r/trainer:1',
      'vertex-endpoint': `https://${vertex.grpcAddress}`,
      preflight: 'false',
      'pr-comment': 'true',
      ...inputs,
    },
    env: {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REF: 'refs/pull/5/merge',
      GITHUB_HEAD_REF: 'patch-1',
      GITHUB_API_URL: github.url,
      GCE_METADATA_HOST: metadata.host,
      METADATA_SERVER_DETECTION: 'assume-present',
      GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: tls.caFile,
      WB_VERTEX_LAUNCH_TIME_SCALE: '0.002',
    },
  });
}

const creates = () => vertex.record().calls.filter((c) => c.method === 'CreateCustomJob');

test('a fork PR with ADC on the runner: no token, no Create, no check run; the why in log and summary', async () => {
  vertex.reset();
  // Only this run's requests count.
  metadata.requests.splice(0);
  github.requests.splice(0);
  const result = await launch();
  expect(result.code).toBe(0);
  expect(creates()).toHaveLength(0);
  expect(metadata.requests).toHaveLength(0);
  expect(github.requests.filter((r) => r.route === 'createCheckRun')).toHaveLength(0);
  expect(github.requests.filter((r) => r.route === 'createComment')).toHaveLength(0);
  expect(result.outputs['job-name']).toBeUndefined();
  const warning = result.stdout.split('\n').find((l) => l.startsWith('::warning'));
  expect(warning).toContain('comes from a fork ("mallory/repo")');
  expect(warning).toContain('allow-fork-pull-requests is false');
  expect(result.stdout).toContain('workflow_dispatch');
  expect(result.summary).toContain('not launched');
  expect(result.summary).toContain('"mallory/repo"');
  expect(result.summary).toContain('pull_request_target');
  expect(result.summary).toContain('allow-fork-pull-requests: true');
}, 30_000);

test('allow-fork-pull-requests: true launches the fork PR with the runner ADC', async () => {
  vertex.reset();
  const result = await launch({ 'allow-fork-pull-requests': 'true' });
  expect(result.errors).toEqual([]);
  expect(result.code).toBe(0);
  expect(creates()).toHaveLength(1);
  expect(metadata.requests.length).toBeGreaterThan(0);
  expect(result.outputs['job-state']).toBe('JOB_STATE_SUCCEEDED');
}, 30_000);

test('which pull requests count as from a fork', () => {
  expect(forkHeadOf(pullRequest(FORK), 'org/repo')).toBe('mallory/repo');
  expect(forkHeadOf(pullRequest({ full_name: 'org/repo', fork: false }), 'org/repo')).toBe(
    undefined,
  );
  expect(forkHeadOf(pullRequest({ full_name: 'Org/Repo' }), 'org/repo')).toBeUndefined();
  // A deleted fork: GitHub no longer names the head repository.
  expect(forkHeadOf(pullRequest(null), 'org/repo')).toBe('a deleted fork');
  // Same name, but a fork owned by someone else (a payload from a mirror, say).
  expect(
    forkHeadOf(
      pullRequest({ full_name: 'org/repo', fork: true, owner: { login: 'eve' } }),
      'org/repo',
    ),
  ).toBe('org/repo');
  expect(forkHeadOf({ ref: 'refs/heads/main' }, 'org/repo')).toBeUndefined();
});
