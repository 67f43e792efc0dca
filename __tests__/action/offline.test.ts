// Runs of the bundled main step that must call Vertex not at all: a dry run, and an invalid
// queue config. The emulator is still the vertex-endpoint, so its record proves no RPC was made.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { runAction } from '../helpers/action-runner.ts';
import { launchInputs, startEmulator, TIME_ENV } from './fixture.ts';

let emulator: VertexEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});
beforeEach(() => emulator.reset());

const API_KEY = 'wandb-local-0123456789abcdef0123456789abcdef';
const ENV_SECRET = 's3cr3t-value-for-the-container';

test('dry-run: no RPC at all, the request file is written with secrets as ***, nothing leaks to the log', async () => {
  const result = await runAction({
    inputs: launchInputs(emulator, {
      'dry-run': 'true',
      'wandb-api-key': API_KEY,
      'wandb-project': 'vision',
      env: `HF_TOKEN=${ENV_SECRET}\nEPOCHS=3`,
    }),
    env: TIME_ENV,
  });
  expect(result.code).toBe(0);
  expect(result.errors).toEqual([]);
  const record = emulator.record();
  expect(record.calls).toEqual([]);
  expect(record.jobsCreated).toBe(0);

  const file = result.outputs['request-file'];
  expect(file).toBeDefined();
  expect(path.relative(result.runnerTemp, file)).not.toMatch(/^\.\./); // under RUNNER_TEMP
  const text = await readFile(file, 'utf8');
  const request = JSON.parse(text) as {
    parent: string;
    customJob: { jobSpec: { workerPoolSpecs: unknown[] } };
  };
  expect(request.parent).toBe('projects/my-proj-1/locations/us-central1');
  const env = JSON.stringify(request.customJob.jobSpec.workerPoolSpecs);
  expect(env).toContain('"WANDB_API_KEY"');
  expect(env).toContain('"HF_TOKEN"');
  expect(env).toContain('"EPOCHS"');
  expect(text).toContain('***');
  // The runner consumes `::add-mask::` commands and hides those values in every later line;
  // anywhere else a secret would be shown.
  const masked = result.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'));
  const shown = result.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  for (const secret of [API_KEY, ENV_SECRET]) {
    expect(masked).toContain(`::add-mask::${secret}`);
    expect(text).not.toContain(secret);
    expect(shown).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
    expect(result.summary).not.toContain(secret);
  }
  expect(result.outputs['job-name']).toBeUndefined();
  expect(result.stdout).toMatch(/dry run/i);
});

test('invalid queue config: exit 1, a ::error annotation at file and line, zero RPCs', async () => {
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'wbvl-ws-'));
  const config = [
    'spec:',
    '  worker_pool_specs:',
    '    - machine_spec:',
    '        machineType: n1-standard-4', // line 4: camelCase, the Node client would drop it
    '      replica_count: 1',
    '      container_spec:',
    '        image_uri: ${image_uri}',
    '  staging_bucket: gs://bucket',
    '',
  ].join('\n');
  await writeFile(path.join(workspace, 'queue.yaml'), config);
  const result = await runAction({
    inputs: launchInputs(emulator, { 'queue-config': 'queue.yaml' }),
    env: TIME_ENV,
    workspace,
  });
  expect(result.code).toBe(1);
  expect(emulator.record().calls).toEqual([]);
  const annotation = result.errors.find((l) => l.includes('file=queue.yaml'));
  expect(annotation).toBeDefined();
  expect(annotation).toMatch(/^::error [^:]*file=queue\.yaml,line=4[,:]/);
  expect(annotation).toContain('machine_type');
  // The step failure itself names the config.
  expect(result.errors.at(-1)).toContain('queue-config');
  expect(result.outputs['job-name']).toBeUndefined();
});
