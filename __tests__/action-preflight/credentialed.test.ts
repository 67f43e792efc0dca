// Preflight with real credentials: workload identity federation through the OIDC, STS and IAM
// Credentials stand-ins, and Cloud Storage and IAM stand-ins over TLS that accept ONLY the
// impersonated access token. Then: a failing preflight with a registry to build for starts no
// build (neither the Docker daemon nor the registry hears from the step), and its findings
// reach the check run as annotations at the config's lines.
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_SERVICE_ACCOUNT,
  startAuthEmulators,
  type AuthEmulators,
} from '../../emulators/google-auth/index.ts';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/emulator.ts';
import { startIamEmulator, type IamEmulator } from '../../emulators/iam/emulator.ts';
import { startStorageEmulator, type StorageEmulator } from '../../emulators/storage/emulator.ts';
import { startVertexEmulator, type VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { filesUnder, findSecrets, printed } from '../action-auth/scan.ts';
import { runAction, type ActionResult } from '../helpers/action-runner.ts';
import { makeThrowawayTls, type ThrowawayTls } from '../helpers/tls.ts';
import { annotations, BUCKET, LINE, PROJECT, queueConfig, REGION, RUN_AS } from './setup.ts';

let tls: ThrowawayTls;
let auth: AuthEmulators;
let vertex: VertexEmulator;
let storage: StorageEmulator;
let iam: IamEmulator;
let github: GitHubEmulator;
let workspace: string;
/** Stands in for a registry: records whatever reaches it. */
let registry: Server;
const registryHits: string[] = [];
/** Stands in for the Docker daemon's socket: counts connections. */
let dockerd: NetServer;
let dockerConnections = 0;
let dockerSocket: string;

beforeAll(async () => {
  tls = makeThrowawayTls();
  auth = await startAuthEmulators();
  const impersonated = (token: string) => auth.iam.validToken(token) !== undefined;
  [vertex, storage, iam, github] = await Promise.all([
    startVertexEmulator({ tickMs: 60 }),
    startStorageEmulator({ tls: { cert: tls.cert, key: tls.key }, validToken: impersonated }),
    startIamEmulator({ tls: { cert: tls.cert, key: tls.key }, validToken: impersonated }),
    startGitHubEmulator(),
  ]);
  workspace = await mkdtemp(path.join(os.tmpdir(), 'wbvl-preflight-wif-'));
  await writeFile(path.join(workspace, 'Dockerfile'), 'FROM scratch\n');
  registry = createHttpServer((req, res) => {
    registryHits.push(`${req.method} ${req.url}`);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  dockerSocket = path.join(workspace, '..', `wbvl-docker-${process.pid}.sock`);
  dockerd = createNetServer((socket) => {
    dockerConnections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => dockerd.listen(dockerSocket, resolve));
});
afterAll(async () => {
  await Promise.all([
    auth?.close(),
    vertex?.stop(),
    storage?.close(),
    iam?.close(),
    github?.close(),
    new Promise((resolve) => registry?.close(resolve)),
    new Promise((resolve) => dockerd?.close(resolve)),
  ]);
  tls?.cleanup();
  await rm(workspace, { recursive: true, force: true });
});
beforeEach(() => {
  vertex.reset();
  storage.store.buckets.clear();
  storage.resetRequests();
  storage.addBucket(BUCKET, { location: 'US-CENTRAL1' });
  iam.accounts.clear();
  iam.resetRequests();
  iam.addAccount(RUN_AS);
});

async function launch(config: string, inputs: Record<string, string>): Promise<ActionResult> {
  await writeFile(path.join(workspace, 'queue.yaml'), config);
  return runAction({
    inputs: {
      'queue-config': 'queue.yaml',
      project: PROJECT,
      region: REGION,
      'workload-identity-provider': auth.provider,
      'service-account': DEFAULT_SERVICE_ACCOUNT,
      'sts-endpoint': auth.stsEndpoint,
      'iamcredentials-endpoint': auth.iamCredentialsEndpoint,
      'vertex-endpoint': `http://${vertex.grpcAddress}`,
      'storage-endpoint': storage.url,
      'iam-endpoint': iam.url,
      'check-run': 'false',
      ...inputs,
    },
    env: {
      ...auth.githubEnv,
      // The action trusts the stand-ins' throwaway CA as it would a private endpoint's.
      NODE_EXTRA_CA_CERTS: tls.caFile,
      DOCKER_HOST: `unix://${dockerSocket}`,
      GITHUB_API_URL: github.url,
      WB_VERTEX_LAUNCH_TIME_SCALE: '0.002',
    },
    workspace,
    timeoutMs: 40_000,
  });
}

const bearer = (h: string | string[] | undefined) =>
  /^Bearer (\S+)$/.exec(Array.isArray(h) ? h[0] : (h ?? ''))?.[1];

test('over TLS, Storage and IAM get the impersonated token, and a clean pass launches', async () => {
  const result = await launch(queueConfig(), {
    image: `${REGION}-docker.pkg.dev/${PROJECT}/r/t:1`,
  });
  expect(result.code).toBe(0);
  expect(annotations(result, 'error')).toEqual([]);
  expect(annotations(result, 'warning')).toEqual([]);
  const requests = [...storage.requests, ...iam.requests];
  expect(requests).toHaveLength(3);
  for (const r of requests) {
    expect(r.status).toBe(200);
    expect(auth.iam.validToken(bearer(r.headers.authorization) ?? '')?.principal).toBe(
      DEFAULT_SERVICE_ACCOUNT,
    );
  }
  // The member to grant roles to is the impersonated account, as the summary names it.
  expect(result.summary).toContain(
    `the credentials (${DEFAULT_SERVICE_ACCOUNT.replace('@', '@\u200b')})`,
  );
  expect(vertex.record().calls.filter((c) => c.method === 'CreateCustomJob')).toHaveLength(1);
  // No token reached the log, the summary or the workspace.
  const written = [
    ...printed(result),
    { source: 'summary', text: result.summary },
    ...filesUnder(workspace),
  ];
  expect(findSecrets(written, auth.allSecrets())).toEqual([]);
});

test('a failing preflight with a registry to build for: no build starts, no job is created', async () => {
  storage.store.buckets.clear();
  const hits = registryHits.length;
  const port = (registry.address() as AddressInfo).port;
  const result = await launch(queueConfig(), { registry: `127.0.0.1:${port}/team/trainer` });
  expect(result.code).toBe(1);
  expect(annotations(result, 'error')[0]).toContain(`gs://${BUCKET} does not exist`);
  expect(registryHits.length).toBe(hits);
  expect(dockerConnections).toBe(0);
  expect(result.stdout).not.toMatch(/Image: hashing build context/);
  expect(vertex.record().calls).toEqual([]);
});

test('findings reach the check run as failure annotations at the lines, with the list in its text', async () => {
  storage.store.buckets.clear();
  iam.accounts.clear();
  iam.addAccount(RUN_AS, { actAs: false });
  const result = await launch(queueConfig(), {
    image: `${REGION}-docker.pkg.dev/${PROJECT}/r/t:1`,
    'check-run': 'true',
    'github-token': 'ghs_preflighttoken000000000000000000000000',
  });
  expect(result.code).toBe(1);
  const runs = [...github.checkRuns.values()];
  expect(runs).toHaveLength(1);
  const [run] = runs;
  expect(run.conclusion).toBe('failure');
  const lines = (run.annotations as Array<{ path: string; start_line: number; title: string }>).map(
    (a) => [a.path, a.start_line, a.title],
  );
  expect(lines).toEqual(
    expect.arrayContaining([
      ['queue.yaml', LINE.stagingBucket, 'spec.staging_bucket'],
      ['queue.yaml', LINE.serviceAccount, 'run.service_account'],
    ]),
  );
  expect(run.output.summary ?? '').toContain('Preflight found 2 problems');
  expect(vertex.record().calls).toEqual([]);
});
