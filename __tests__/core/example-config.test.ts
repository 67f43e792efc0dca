// The example queue config from W&B's "Set up for Vertex" page (copied verbatim into
// __tests__/fixtures/), and the repository's own examples/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { accept, IMAGE, reject, RUN_ID } from './compile-helpers.ts';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const forms = [
  ['JSON', '__tests__/fixtures/wandb-vertex-queue-config.json', 16],
  ['YAML', '__tests__/fixtures/wandb-vertex-queue-config.yaml', 10],
] as const;
const fill = (text: string) => text.replace('<REQUIRED>', 'gs://my-staging-bucket');

describe("W&B's example queue config", () => {
  test.each(forms)(
    '%s: staging_bucket left as <REQUIRED> is rejected, located',
    (_form, path, line) => {
      const text = read(path);
      const problems = reject(text, { source: { text, origin: path } });
      expect(problems).toEqual([
        {
          path: 'spec.staging_bucket',
          file: path,
          line,
          column: expect.any(Number),
          message: 'still the <REQUIRED> placeholder: fill in a value',
        },
      ]);
    },
  );

  test.each(forms)('%s: filled in, it is accepted', (_form, path, _line) => {
    const launch = accept(fill(read(path)));
    expect(launch.request).toEqual({
      parent: 'projects/my-project-123/locations/us-central1',
      customJob: {
        displayName: 'wb-vertex-launch-20240506T070809',
        jobSpec: {
          workerPoolSpecs: [
            {
              machineSpec: {
                machineType: 'n1-standard-4',
                acceleratorType: 'ACCELERATOR_TYPE_UNSPECIFIED',
                acceleratorCount: 0,
              },
              replicaCount: '1',
              containerSpec: {
                imageUri: IMAGE,
                env: [
                  { name: 'WANDB_LAUNCH', value: 'True' },
                  { name: 'WANDB_RUN_ID', value: RUN_ID },
                  { name: 'WANDB_DOCKER', value: IMAGE },
                ],
              },
            },
          ],
          baseOutputDirectory: {
            outputUriPrefix: 'gs://my-staging-bucket/aiplatform-custom-job-2024-05-06-07:08:09.012',
          },
        },
        labels: { 'managed-by': 'wb-vertex-launch', 'wandb-run-id': RUN_ID },
      },
    });
    // restart_job_on_worker_restart: false is the SDK default: no scheduling block.
    expect(launch.warnings).toEqual([]);
    expect(launch.usesImage).toBe(true);
  });

  test('the JSON and YAML forms give identical requests', () => {
    const [json, yaml] = forms.map(([, path]) =>
      accept(fill(read(path)), { wandb: { project: 'p', entity: 'e' } }),
    );
    expect(json.request).toEqual(yaml.request);
    expect(JSON.stringify(json.request)).toBe(JSON.stringify(yaml.request));
  });
});

describe('examples/', () => {
  test.each(['examples/queue-config.yaml', 'examples/queue-config.json'])(
    '%s is accepted',
    (path) => {
      const text = read(path);
      const launch = accept(text, { source: { text, origin: path } });
      expect(launch.request.customJob.jobSpec.workerPoolSpecs).toHaveLength(1);
      expect(launch.usesImage).toBe(true);
      expect(launch.warnings).toEqual([]);
    },
  );

  test('the YAML and JSON examples give identical requests', () => {
    const [yaml, json] = ['examples/queue-config.yaml', 'examples/queue-config.json'].map(
      (path) => accept(read(path)).request,
    );
    expect(yaml).toEqual(json);
  });
});
