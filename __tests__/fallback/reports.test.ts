// A launch that moved region, as GitHub shows it: one check run (its external_id the job that
// ran) and one PR comment entry, both listing every attempt; `attach` and `reconcile` treat
// the attempts as one launch.
import { runAction } from '../helpers/action-runner.ts';
import { useReportingWorld, PR_HEAD_SHA } from '../action-reporting/setup.ts';
import { GPU, GPU_CONFIG } from './setup.ts';

const world = useReportingWorld();

type Job = { name: string; state: string; labels: Record<string, string> };
const jobIn = (region: string) =>
  (world.vertex.record().jobs as Job[]).find((j) => j.name.includes(`/locations/${region}/`))!;

test('one check run and one comment entry list every attempt; the check run names the job that ran', async () => {
  world.vertex.setCapacity('us-central1', { outOf: [GPU] });
  world.vertex.queueScenarios('succeed');
  const result = await world.launch({
    'queue-config': GPU_CONFIG,
    'fallback-regions': 'us-east4',
    'pr-comment': 'true',
  });
  expect(result.code).toBe(0);
  const ran = jobIn('us-east4');
  const runs = [...world.github.checkRuns.values()];
  expect(runs).toHaveLength(1);
  expect(runs[0].external_id).toBe(ran.name);
  expect(runs[0].conclusion).toBe('success');
  const output = runs[0].output as { summary?: string };
  expect(output.summary).toContain('**Regions tried**');
  expect(output.summary).toMatch(/us-central1.*Stockout/);

  const comments = [...world.github.comments.values()];
  expect(comments).toHaveLength(1);
  expect(comments[0].body).toContain('**Regions tried**');
  expect(comments[0].body).toMatch(/us-east4.*Succeeded/);
});

test('attach to the attempt that stocked out follows the launch on: the later attempt, the same check run', async () => {
  world.vertex.setCapacity('us-central1', { outOf: [GPU] });
  world.vertex.queueScenarios('run-forever');
  const launched = await world.launch({
    'queue-config': GPU_CONFIG,
    'fallback-regions': 'us-east4',
    'wait-timeout': '2s',
  });
  expect(launched.code).toBe(1); // the wait ran out while the second attempt ran
  const first = jobIn('us-central1');
  const second = jobIn('us-east4');
  expect(first.state).toBe('JOB_STATE_FAILED');
  expect(launched.outputs['job-name']).toBe(second.name);

  const attached = await world.launch({
    attach: first.name,
    'fallback-regions': 'us-east4',
    'wait-timeout': '1s',
  });
  expect(attached.stdout).toContain(`its launch went on as ${second.name}: following that`);
  expect(attached.outputs['job-name']).toBe(second.name);
  expect(attached.outputs.region).toBe('us-east4');
  // The launch's own check run, found by its job: never a second one.
  expect(world.github.checkRuns.size).toBe(1);
});

test('reconcile lists the fallback regions too, and completes a launch once, from its latest attempt', async () => {
  const labels = {
    'managed-by': 'wb-vertex-launch',
    'github-repository': 'org_repo',
    'github-head-sha': PR_HEAD_SHA,
    'wb-vertex-launch-wait': 'detached',
    'wandb-run-id': 'moved0001',
  };
  const spec = { workerPoolSpecs: [{ machineSpec: { machineType: 'n1-standard-8' } }] };
  const seed = (region: string, scenario: string, agoMs: number) =>
    world.vertex.seedJob({
      parent: `projects/my-proj-1/locations/${region}`,
      customJob: { displayName: 'train', jobSpec: spec, labels },
      scenario,
      agoMs,
    });
  // The earlier attempt ended FAILED (its region had no capacity); the later one succeeded.
  seed('us-central1', 'fail', 120_000);
  const later = seed('us-east4', 'succeed', 60_000);
  world.github.checkRuns.set(1, {
    id: 1,
    name: 'Vertex AI: train',
    head_sha: PR_HEAD_SHA,
    status: 'in_progress',
    conclusion: null,
    external_id: later,
    output: { annotations_count: 0 },
    annotations: [],
  });
  const result = await runAction({
    inputs: {
      reconcile: 'true',
      project: 'my-proj-1',
      region: 'us-central1',
      'fallback-regions': 'us-east4',
      'vertex-endpoint': `http://${world.vertex.grpcAddress}`,
    },
    env: { GITHUB_API_URL: world.github.url, WB_VERTEX_LAUNCH_TIME_SCALE: '0.002' },
  });
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(
    '1 earlier attempts of launches that moved region are left alone',
  );
  const run = world.github.checkRuns.get(1)!;
  expect(run.status).toBe('completed');
  expect(run.conclusion).toBe('success');
});
