// A queue item's runSpec read as the SDK's LaunchProject reads it (every field checked), the
// launch W&B's Vertex runner makes of it (command, environment, labels), and the pass summary.
import { itemsOutput, renderAgentSummary } from '../../src/core/wandb-launch/agent-summary.ts';
import { itemParts, MAX_ENV_VALUE } from '../../src/core/wandb-launch/launch-parts.ts';
import {
  itemIdOfNumber,
  itemNumberOf,
  readRunSpec,
  type QueueItem,
} from '../../src/core/wandb-launch/run-spec.ts';

const ID = Buffer.from('RunQueueItem:42').toString('base64');
const QUEUE = { entity: 'my-team', name: 'vertex-queue' };
const ARGS = { spec: { worker_pool_specs: [] }, run: {} };

function read(spec: unknown): QueueItem {
  const result = readRunSpec(ID, spec);
  if (!result.ok) throw new Error(result.message);
  return result.item;
}

test('item ids: N of RunQueueItem:N, and back; another id gets a digest', () => {
  expect(itemNumberOf(ID)).toBe('42');
  expect(itemIdOfNumber('42')).toBe(ID);
  expect(itemNumberOf('not-base64-of-an-item')).toMatch(/^[0-9a-f]{16}$/);
  expect(itemIdOfNumber('abc')).toBeUndefined();
});

test('a runSpec as JSON text or an object, every field it has', () => {
  const spec = {
    resource: 'gcp-vertex',
    resource_args: { 'gcp-vertex': { ...ARGS, builder: { type: 'kaniko' } } },
    job: 'my-team/proj/trainer:v2',
    docker: { docker_image: 'img:1' },
    overrides: {
      entry_point: ['python', 'train.py'],
      args: ['--lr', '0.1'],
      run_config: { lr: 0.1 },
      artifacts: { data: 'my-team/proj/data:v1' },
    },
    run_id: 'abc123xy',
    name: 'my run',
    entity: 'my-team',
    project: 'proj',
    sweep_id: 'sw1',
    _wandb_api_key: 'k'.repeat(40),
  };
  const item = read(JSON.stringify(spec));
  expect(item).toEqual({
    itemId: ID,
    itemNumber: '42',
    resource: 'gcp-vertex',
    vertexArgs: ARGS,
    job: 'my-team/proj/trainer:v2',
    image: 'img:1',
    entryPoint: ['python', 'train.py'],
    args: ['--lr', '0.1'],
    runConfig: { lr: 0.1 },
    artifacts: { data: 'my-team/proj/data:v1' },
    runId: 'abc123xy',
    name: 'my run',
    entity: 'my-team',
    project: 'proj',
    sweepId: 'sw1',
    apiKey: 'k'.repeat(40),
  });
  expect(read({ ...spec, resource: 'kubernetes' }).vertexArgs).toBeUndefined();
  expect(read({ resource_args: { vertex: ARGS }, resource: 'vertex' }).vertexArgs).toEqual(ARGS);
});

test('fields of the wrong type are refused; the key is still found to be masked', () => {
  const key = 'k'.repeat(40);
  expect(readRunSpec(ID, { overrides: { args: 'x' }, _wandb_api_key: key })).toEqual({
    ok: false,
    message: 'overrides.args is not a list of strings',
    apiKey: key,
  });
  expect(readRunSpec(ID, { overrides: { entry_point: [1] } })).toMatchObject({ ok: false });
  expect(readRunSpec(ID, { run_id: 'Not A Label' })).toMatchObject({
    ok: false,
    message: 'run_id "Not A Label" is not a W&B run id',
  });
  expect(readRunSpec(ID, '[1, 2]')).toMatchObject({
    ok: false,
    message: 'its runSpec is not a JSON object',
  });
  expect(readRunSpec(ID, '{')).toMatchObject({ ok: false });
});

test("W&B's Vertex runner's launch: entry point then args as the command, the run's variables, the item's labels", () => {
  const item = read({
    resource: 'gcp-vertex',
    resource_args: { 'gcp-vertex': ARGS },
    job: 'my-team/proj/trainer:v2',
    overrides: { args: ['--lr', '0.1'], run_config: { lr: 0.1 } },
    name: 'my run',
    sweep_id: 'sw1',
  });
  const parts = itemParts(item, QUEUE, ['python', 'train.py']);
  expect(parts.command).toEqual(['python', 'train.py', '--lr', '0.1']);
  expect(parts.env).toEqual({
    WANDB_LAUNCH_QUEUE_NAME: 'vertex-queue',
    WANDB_LAUNCH_QUEUE_ENTITY: 'my-team',
    WANDB_LAUNCH_TRACE_ID: ID,
    WANDB_NAME: 'my run',
    WANDB_CONFIG: '{"lr":0.1}',
    WANDB_SWEEP_ID: 'sw1',
    WANDB_ARTIFACTS: '{"_wandb_job":"my-team/proj/trainer:v2"}',
  });
  expect(parts.labels).toEqual({
    'wandb-queue': 'my-team_vertex-queue',
    'wandb-run-queue-item': '42',
  });
  // The item's own entry point wins over the job's; no entry point and no args: the image's.
  expect(itemParts({ ...item, entryPoint: ['bash', 'run.sh'] }, QUEUE, ['python']).command).toEqual(
    ['bash', 'run.sh', '--lr', '0.1'],
  );
  expect(itemParts({ ...item, args: [] }, QUEUE).command).toBeUndefined();
});

test('a run config longer than one variable holds is sharded as W&B reads it', () => {
  const item = read({ overrides: { run_config: { text: 'x'.repeat(MAX_ENV_VALUE + 10) } } });
  const env = itemParts(item, QUEUE).env;
  expect(env.WANDB_CONFIG).toBeUndefined();
  expect(env.WANDB_CONFIG_0).toHaveLength(MAX_ENV_VALUE);
  expect(JSON.parse(env.WANDB_CONFIG_0 + env.WANDB_CONFIG_1)).toEqual({
    text: 'x'.repeat(MAX_ENV_VALUE + 10),
  });
});

test('the summary lists each item with its outcome; quoted text cannot break the table', () => {
  const outcomes = [
    {
      itemId: ID,
      itemNumber: '42',
      state: 'launched' as const,
      title: 'run | <b>',
      image: 'img:1',
      jobName: 'projects/p/locations/l/customJobs/7',
      jobState: 'JOB_STATE_QUEUED',
      consoleUrl: 'https://console.cloud.google.com/x',
      wandbRunUrl: 'https://wandb.ai/t/p/runs/r',
    },
    {
      itemId: 'b',
      itemNumber: '43',
      state: 'failed' as const,
      stage: 'build' as const,
      reason: 'needs a build',
    },
    { itemId: 'c', itemNumber: '44', state: 'skipped' as const, reason: 'another agent took it' },
  ];
  const md = renderAgentSummary('my-team/vertex-queue', outcomes);
  expect(md).toContain('3 items taken: **1 launched**, 1 failed, 1 skipped.');
  expect(md).toContain('[7](https://console.cloud.google.com/x)');
  expect(md).toContain('failed at stage <code>build</code>: needs a build');
  expect(md).not.toContain('<b>');
  expect(md.split('\n').filter((l) => l.startsWith('|'))).toHaveLength(5);
  expect(JSON.parse(itemsOutput(outcomes))).toEqual([
    { item: ID, 'job-name': 'projects/p/locations/l/customJobs/7', state: 'launched' },
    { item: 'b', 'job-name': null, state: 'failed' },
    { item: 'c', 'job-name': null, state: 'skipped' },
  ]);
});
