// Jobs that outlive the step, through the bundled action: a detached launch leaves its check
// run in progress and says how the result will come; `reconcile` completes that same check run
// and the PR comment entry once the job ends, and a second reconcile changes nothing; `attach`
// follows a job to its end with the launch's outputs and exit status; jobs of another
// repository, and jobs the action did not launch, are never touched.
import { parseComment } from '../../src/core/report/index.ts';
import { requestsOf, useReportingWorld } from './setup.ts';
import { jobEnded } from '../helpers/job-end.ts';

const world = useReportingWorld();

const RECONCILE = { reconcile: 'true', 'queue-config': '' };

const ended = (name: string) => jobEnded(world.vertex, name);

const githubWrites = () =>
  world.github.requests.filter(
    (r) =>
      ['updateCheckRun', 'createCheckRun', 'createComment', 'updateComment'].includes(
        r.route ?? '',
      ) && r.status < 300,
  );

test('detach, then reconcile: the original check run completes (same id), the entry too; a second reconcile is a no-op', async () => {
  const launched = await world.launch({ wait: 'false', 'pr-comment': 'true' });
  expect(launched.code).toBe(0);
  const name = launched.outputs['job-name'];
  const [run] = [...world.github.checkRuns.values()];
  expect(run).toMatchObject({ status: 'in_progress', external_id: name });
  expect(run.output.summary).toContain(`attach: ${name}`);
  expect(launched.summary).toContain('reconcile: true');
  const [comment] = world.github.comments.values();
  expect(parseComment(comment.body)[0].meta.headline).toMatch(/^📨 Submitted/);

  await ended(name);
  const reconciled = await world.launch(RECONCILE);
  expect(reconciled.code).toBe(0);
  expect(world.vertex.record().jobsCreated).toBe(1); // nothing submitted
  expect(world.github.checkRuns.size).toBe(1);
  const done = world.github.checkRuns.get(run.id)!;
  expect(done).toMatchObject({ status: 'completed', conclusion: 'success' });
  expect(done.output.summary).not.toContain('[!NOTE]');
  expect(parseComment(world.github.comments.get(comment.id)!.body)[0].meta.headline).toMatch(
    /^✅ Succeeded/,
  );
  expect(reconciled.summary).toContain('1 completed now');
  expect(reconciled.summary).toContain('#17');

  const writes = githubWrites().length;
  const again = await world.launch(RECONCILE);
  expect(again.code).toBe(0);
  expect(githubWrites()).toHaveLength(writes);
  expect(again.summary).toContain('0 completed now');
  expect(world.github.checkRuns.get(run.id)).toEqual(done);
});

test('two reconcilers at once: the check run and the entry are completed once, nothing duplicated', async () => {
  const launched = await world.launch({ wait: 'false', 'pr-comment': 'true' });
  await ended(launched.outputs['job-name']);
  world.github.setLatency(30);
  const results = await Promise.all([world.launch(RECONCILE), world.launch(RECONCILE)]);
  world.github.setLatency(0);
  for (const r of results) expect(r.code).toBe(0);
  expect(world.github.checkRuns.size).toBe(1);
  expect([...world.github.checkRuns.values()][0]).toMatchObject({
    status: 'completed',
    conclusion: 'success',
    annotations: [],
  });
  expect(world.github.comments.size).toBe(1);
  expect(parseComment([...world.github.comments.values()][0].body)).toHaveLength(1);
});

test('a wait-timeout leaves the check run open; attach follows the job to its failure, exit 1, completing that check run', async () => {
  world.vertex.queueScenarios('fail');
  world.vertex.setTickMs(400);
  const launched = await world.launch({ 'wait-timeout': '1', 'pr-comment': 'true' });
  world.vertex.setTickMs(60);
  expect(launched.code).toBe(1);
  expect(launched.errors[0]).toContain('wait-timeout');
  const name = launched.outputs['job-name'];
  const [run] = [...world.github.checkRuns.values()];
  expect(run.status).toBe('in_progress');
  expect(launched.state['job-phase']).toBe('detached');

  const attached = await world.launch({ attach: name, 'queue-config': '' });
  expect(attached.code).toBe(1);
  expect(attached.errors[0]).toContain('JOB_STATE_FAILED');
  expect(attached.outputs).toMatchObject({
    'job-name': name,
    'job-state': 'JOB_STATE_FAILED',
    'job-id': name.split('/').pop(),
  });
  expect(attached.outputs['job-url']).toContain('console.cloud.google.com');
  // The same check run, never a second one; completed as a failure with Vertex's error.
  expect(world.github.checkRuns.size).toBe(1);
  expect(world.github.checkRuns.get(run.id)).toMatchObject({
    status: 'completed',
    conclusion: 'failure',
  });
  expect(requestsOf(world.github, 'createCheckRun')).toHaveLength(1);
  const entries = parseComment([...world.github.comments.values()][0].body);
  expect(entries).toHaveLength(1);
  expect(entries[0].meta.headline).toMatch(/^❌ Failed/);
  expect(world.vertex.record().jobsCreated).toBe(1);
});

test('attach on a job that already succeeded: exit 0 at once, the reports completed', async () => {
  const launched = await world.launch({ wait: 'false' });
  await ended(launched.outputs['job-name']);
  const attached = await world.launch({ attach: launched.outputs['job-name'], 'queue-config': '' });
  expect(attached.code).toBe(0);
  expect(attached.outputs['job-state']).toBe('JOB_STATE_SUCCEEDED');
  expect([...world.github.checkRuns.values()]).toEqual([
    expect.objectContaining({ status: 'completed', conclusion: 'success' }),
  ]);
  expect(attached.summary).toContain('Succeeded');
});

test("reconcile never touches another repository's jobs, or jobs the action did not launch", async () => {
  const mine = await world.launch({ wait: 'false' });
  const theirs = await world.launch({ wait: 'false' }, undefined, {
    GITHUB_REPOSITORY: 'someone/else',
  });
  const foreign = world.vertex.seedJob({
    parent: 'projects/my-proj-1/locations/us-central1',
    customJob: {
      displayName: 'hand-made',
      jobSpec: { workerPoolSpecs: [] },
      labels: { 'github-repository': 'org_repo' }, // no managed-by: not the action's
    },
  });
  for (const name of [mine.outputs['job-name'], theirs.outputs['job-name'], foreign])
    await ended(name);
  const result = await world.launch(RECONCILE);
  expect(result.code).toBe(0);
  const byJob = Object.fromEntries(
    [...world.github.checkRuns.values()].map((r) => [r.external_id, r.status]),
  );
  expect(byJob[mine.outputs['job-name']]).toBe('completed');
  expect(byJob[theirs.outputs['job-name']]).toBe('in_progress');
  // The listing asked Vertex for this repository's launches only.
  const lists = world.vertex.record().calls.filter((c) => c.method === 'ListCustomJobs');
  expect(lists).toHaveLength(1);
  expect(String(lists[0].request.filter)).toContain('labels.github-repository="org_repo"');
  expect(String(lists[0].request.filter)).toContain('labels.managed-by="wb-vertex-launch"');
  expect(result.summary).toContain('1 completed now');
});

test('inputs: attach must be a job name; reconcile needs project and region', async () => {
  const bad = await world.launch({ attach: 'my-job', 'queue-config': '' });
  expect(bad.code).toBe(1);
  expect(bad.errors[0]).toContain('projects/PROJECT/locations/REGION/customJobs/ID');
  const noRegion = await world.launch({ ...RECONCILE, region: '' });
  expect(noRegion.code).toBe(1);
  expect(noRegion.errors[0]).toContain('region');
  expect(world.vertex.record().calls).toEqual([]);
});

test('with actions: read, the last successful reconcile is the watermark: jobs are completed by id, what it did is skipped', async () => {
  const workflowEnv = {
    GITHUB_WORKFLOW_REF: 'org/repo/.github/workflows/reconcile.yml@refs/heads/main',
  };
  world.github.seedWorkflowRun({
    id: 1,
    workflow: 'reconcile.yml',
    status: 'completed',
    conclusion: 'success',
    run_started_at: new Date(Date.now() - 3_600_000).toISOString(),
  });
  const launched = await world.launch({ wait: 'false' });
  const [run] = [...world.github.checkRuns.values()];
  // The check run opened before the submit, and the job carries its id.
  const job = world.vertex.record().jobs[0];
  expect((job.labels as Record<string, string>)['github-check-run']).toBe(String(run.id));
  await ended(launched.outputs['job-name']);

  const before = world.github.requests.length;
  const first = await world.launch(RECONCILE, undefined, workflowEnv);
  expect(first.code).toBe(0);
  expect(world.github.checkRuns.get(run.id)).toMatchObject({ status: 'completed' });
  expect(requestsOf(world.github, 'listCheckRunsForRef')).toEqual([]);
  // (The job was launched on a pull request, so its comments are looked at too: there are none.)
  // (The check run is read first: completed only if it is this job's, and still open.)
  expect(world.github.requests.slice(before).map((r) => r.route)).toEqual([
    'listWorkflowRuns',
    'getCheckRun',
    'updateCheckRun',
    'listComments',
  ]);

  // GitHub records that reconcile as successful; the next one has nothing to look at.
  world.github.seedWorkflowRun({
    id: 2,
    workflow: 'reconcile.yml',
    status: 'completed',
    conclusion: 'success',
    run_started_at: new Date(Date.now() + 11 * 60_000).toISOString(),
  });
  const mark = world.github.requests.length;
  const second = await world.launch(RECONCILE, undefined, workflowEnv);
  expect(second.code).toBe(0);
  expect(world.github.requests.slice(mark).map((r) => r.route)).toEqual(['listWorkflowRuns']);
  expect(second.summary).toContain('1 handled by an earlier reconcile');
});

test('a check run that cannot be completed fails the reconcile, so the next one tries again', async () => {
  const launched = await world.launch({ wait: 'false' });
  await ended(launched.outputs['job-name']);
  world.github.fail({ status: 502, times: 10, route: 'updateCheckRun' });
  const result = await world.launch(RECONCILE);
  expect(result.code).toBe(1);
  expect(result.errors[0]).toContain('1 check run could not be completed');
  expect([...world.github.checkRuns.values()][0].status).toBe('in_progress');
});
