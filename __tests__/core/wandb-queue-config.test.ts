// A W&B queue's stored config as a queue-config source: the Vertex args under
// resource_args.gcp-vertex (or vertex), other resources refused, template variables filled,
// and problems named by the queue.
import { compileQueueConfig } from '../../src/core/queue-config/compile.ts';
import { queueConfigSource } from '../../src/core/wandb-launch/queue-config.ts';
import { options } from './compile-helpers.ts';

const QUEUE = { entity: 'my-team', name: 'vertex-queue' };
const ARGS = {
  spec: {
    worker_pool_specs: [
      {
        machine_spec: { machine_type: 'n1-standard-4', accelerator_count: '{{gpus}}' },
        replica_count: 1,
        container_spec: { image_uri: '${image_uri}' },
      },
    ],
    staging_bucket: 'gs://bucket',
  },
  run: { restart_job_on_worker_restart: false },
};
const stored = (args: unknown, resource = 'gcp-vertex', key = 'gcp-vertex') => ({
  resource,
  config: JSON.stringify({ resource_args: { [key]: args } }),
  templateVariables: [{ name: 'gpus', schema: '{"type":"integer","minimum":0,"default":0}' }],
});

test('the Vertex args become the source, named by the queue, variables filled with their type', () => {
  const result = queueConfigSource(QUEUE, stored(ARGS), { gpus: '2' });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  expect(result.source.origin).toBe('wandb queue my-team/vertex-queue');
  expect(result.source.unlocated).toBe(true);
  const doc = JSON.parse(result.source.text);
  expect(doc.spec.worker_pool_specs[0].machine_spec.accelerator_count).toBe(2);
  expect(doc.spec.worker_pool_specs[0].container_spec.image_uri).toBe('${image_uri}');
  expect(result.values).toEqual({ gpus: 2 });
});

test("the alias `vertex` holds the args too; a builder block is the agent's, not the runner's", () => {
  const result = queueConfigSource(
    QUEUE,
    { ...stored(ARGS, 'vertex'), config: { resource_args: { vertex: { ...ARGS, builder: {} } } } },
    {},
  );
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  expect(Object.keys(JSON.parse(result.source.text))).toEqual(['spec', 'run']);
});

test('a queue of another resource is refused, naming it', () => {
  const result = queueConfigSource(QUEUE, stored(ARGS, 'kubernetes', 'kubernetes'), {});
  expect(result).toEqual({
    ok: false,
    phase: 'queue-config',
    problems: [
      {
        file: 'wandb queue my-team/vertex-queue',
        message:
          'its resource is kubernetes, not gcp-vertex: wb-vertex-launch launches Vertex AI queues only (create a queue with the Vertex resource in the W&B App)',
      },
    ],
  });
});

test('bad template values are input problems, reported before any placeholder problem', () => {
  const args = { ...ARGS, run: { network: '{{vpc}}' } };
  const result = queueConfigSource(QUEUE, stored(args), { gpus: '-1' });
  expect(result).toMatchObject({ ok: false, phase: 'inputs' });
  if (result.ok) return;
  expect(result.problems.map((p) => p.message)).toEqual([
    'gpus="-1" is not allowed: gpus takes an integer of at least 0',
  ]);
  const placeholder = queueConfigSource(QUEUE, stored(args), {});
  expect(placeholder).toMatchObject({
    ok: false,
    phase: 'queue-config',
    problems: [
      {
        file: 'wandb queue my-team/vertex-queue',
        path: 'run.network',
        message: "{{vpc}} is not one of the queue's template variables (gpus)",
      },
    ],
  });
});

test("the compiler's problems name the queue and the config path, without a line", () => {
  const bad = { ...ARGS, spec: { ...ARGS.spec, worker_pool_specs: [{ machineSpec: {} }] } };
  const result = queueConfigSource(QUEUE, stored(bad), {});
  if (!result.ok) throw new Error('expected a source');
  const compiled = compileQueueConfig({ ...options({}), source: result.source });
  expect(compiled.ok).toBe(false);
  if (compiled.ok) return;
  expect(compiled.problems[0]).toMatchObject({
    file: 'wandb queue my-team/vertex-queue',
    path: 'spec.worker_pool_specs[0].machineSpec',
  });
  expect(compiled.problems.every((p) => p.line === undefined)).toBe(true);
});
