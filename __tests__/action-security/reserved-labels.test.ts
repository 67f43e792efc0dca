// The bundled action refuses the action's own provenance labels (managed-by, github-*,
// wb-vertex-launch-*, wandb-run-id, wandb-run-queue-item) from the queue config's spec.labels
// and from the labels input: a located error, and no call to Vertex at all, so no job exists
// that could point reconcile at someone else's check run or pass for another launch.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startReportingWorld, type ReportingWorld } from '../action-reporting/setup.ts';

let world: ReportingWorld;
let workspace: string;
beforeAll(async () => {
  world = await startReportingWorld();
  workspace = await mkdtemp(path.join(os.tmpdir(), 'wbvl-reserved-'));
  await writeFile(
    path.join(workspace, 'queue.yaml'),
    [
      'spec:',
      '  worker_pool_specs:',
      '    - machine_spec:',
      '        machine_type: n1-standard-4',
      '      replica_count: 1',
      '      container_spec:',
      '        image_uri: ${image_uri}',
      '  staging_bucket: gs://my-staging-bucket',
      '  labels:',
      '    team: vision',
      '    github-check-run: "1234"',
      '    wb-vertex-launch-wait: detached',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await world?.close();
  await rm(workspace, { recursive: true, force: true });
});
beforeEach(async () => {
  world.vertex.reset();
  await world.resetGitHub();
});

test('spec.labels: each reserved key is an error at its line of the queue config; nothing is called', async () => {
  const result = await world.launch({ 'queue-config': 'queue.yaml' }, workspace);
  expect(result.code).toBe(1);
  const errors = result.errors.join('\n');
  expect(errors).toMatch(/file=queue\.yaml,line=11.*spec\.labels\.github-check-run/);
  expect(errors).toMatch(/file=queue\.yaml,line=12.*spec\.labels\.wb-vertex-launch-wait/);
  expect(errors).toContain('is reserved');
  expect(errors).not.toMatch(/spec\.labels\.team/);
  expect(world.vertex.record().calls).toEqual([]);
  expect(world.vertex.record().jobsCreated).toBe(0);
});

test('the labels input: the reserved key is an error naming the input and its line; nothing is called', async () => {
  const result = await world.launch({ labels: 'team=vision\ngithub-pr=99\nmanaged-by=me' });
  expect(result.code).toBe(1);
  const errors = result.errors.join('\n');
  expect(errors).toMatch(/labels: line 2: label key "github-pr" is reserved/);
  expect(errors).toMatch(/labels: line 3: label key "managed-by" is reserved/);
  expect(world.vertex.record().calls).toEqual([]);
  // Refused with the inputs, before any report: no check run, no comment.
  expect(world.github.requests).toEqual([]);
});
