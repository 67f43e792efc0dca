// The bundled action's check run and job summary on a pull request, through the real Octokit
// against the GitHub REST stand-in: created in progress on the PR head commit when the job
// exists, updated as its state changes, completed with the job's conclusion; a failed job
// carries Vertex's error as an annotation; an invalid queue config fails the check run with
// annotations at the config's lines before Vertex is called at all.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PR_HEAD_SHA, requestsOf, useReportingWorld, WANDB } from './setup.ts';

const world = useReportingWorld();

const CHECK_RUN_PATH = /^\/repos\/org\/repo\/check-runs\/(\d+)$/;

/** The job state a rendered details table shows (markdown escapes removed). */
function stateShown(markdown: string): string | undefined {
  return /\| State \| ([^|]*) \|/.exec(markdown.replace(/\\/g, ''))?.[1];
}

test('a succeeding job: created in progress on the PR head, updated per state, completed as success; summary with links', async () => {
  const result = await world.launch();
  expect(result.errors).toEqual([]);
  expect(result.code).toBe(0);
  const jobId = result.outputs['job-id'];
  expect(jobId).toMatch(/^\d+$/);

  const calls = requestsOf(world.github, 'createCheckRun', 'updateCheckRun');
  expect(calls.every((c) => c.status >= 200 && c.status < 300)).toBe(true);
  expect(
    calls.every((c) => c.authorization === 'token ghs_testtoken0000000000000000000000000000'),
  ).toBe(true);
  // Opened before the submit (so the job can carry its id), then told the job's name.
  const [create, submitted, ...updates] = calls;
  expect(create.method).toBe('POST');
  expect(create.path).toBe('/repos/org/repo/check-runs');
  expect(create.body).toMatchObject({
    name: 'Vertex AI: train',
    head_sha: PR_HEAD_SHA,
    status: 'in_progress',
    output: { title: '⏳ Submitting' },
  });
  expect(create.body.external_id).toBeUndefined();
  expect(submitted.body).toMatchObject({
    status: 'in_progress',
    external_id: result.outputs['job-name'],
    details_url: result.outputs['job-url'],
  });
  expect(submitted.body.output.summary).toContain(jobId);

  // One PATCH per state change the step saw, then the completion.
  const seen = result.outputWrites.filter(([k]) => k === 'job-state').map(([, v]) => v);
  expect(updates.length).toBeGreaterThanOrEqual(2);
  const [id] = [...world.github.checkRuns.keys()];
  for (const u of updates) {
    expect(u.method).toBe('PATCH');
    expect(CHECK_RUN_PATH.exec(u.path)?.[1]).toBe(String(id));
  }
  const progress = updates.slice(0, -1);
  const final = updates[updates.length - 1];
  for (const u of progress) {
    expect(u.body.status).toBe('in_progress');
    expect(u.body.conclusion).toBeUndefined();
  }
  // Each update shows a state the job went through, in the order it went through them.
  const shown = progress.map(
    (u) => /<code>(JOB_STATE_[A-Z_]+)<\/code>/.exec(stateShown(u.body.output.summary) ?? '')?.[1],
  );
  expect(shown).toEqual(seen.slice(1, 1 + progress.length));
  expect(final.body).toMatchObject({ status: 'completed', conclusion: 'success' });
  expect(final.body.completed_at).toMatch(/^\d{4}-\d\d-\d\dT/);

  const run = world.github.checkRuns.get(id)!;
  expect(run).toMatchObject({ head_sha: PR_HEAD_SHA, status: 'completed', conclusion: 'success' });
  expect(run.annotations).toEqual([]);

  // The job summary: the job, its state, its links and the W&B run.
  const wandbUrl = result.outputs['wandb-run-url'];
  expect(wandbUrl).toMatch(
    new RegExp(`^https://wandb\\.ai/${WANDB.entity}/${WANDB.project}/runs/[a-z0-9]+$`),
  );
  expect(result.summary).toContain(jobId);
  expect(stateShown(result.summary)).toBe('Succeeded (<code>JOB_STATE_SUCCEEDED</code>)');
  expect(result.summary).toContain(result.outputs['job-url']);
  expect(result.summary).toContain(wandbUrl);
  expect(result.summary).toContain(`https://console.cloud.google.com/logs/`);
}, 30_000);

test("a failing job: completed as failure with an annotation carrying Vertex's error message", async () => {
  world.vertex.queueScenarios('fail');
  const result = await world.launch();
  expect(result.code).toBe(1);
  const [job] = world.vertex.record().jobs as Array<{ error?: { message: string } }>;
  const vertexMessage = job.error?.message;
  expect(vertexMessage).toMatch(/\S/);

  const final = requestsOf(world.github, 'updateCheckRun').at(-1)!;
  expect(final.body).toMatchObject({ status: 'completed', conclusion: 'failure' });
  const runs = [...world.github.checkRuns.values()];
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
  expect(runs[0].annotations).toEqual([
    expect.objectContaining({
      path: 'examples/queue-config.yaml',
      annotation_level: 'failure',
      message: vertexMessage,
      title: expect.stringContaining(result.outputs['job-id']),
    }),
  ]);
  expect(final.body.output.summary).toContain(vertexMessage);
}, 30_000);

test('an invalid queue config: a failed check run annotated at the lines, and no Vertex call', async () => {
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'wbvl-report-ws-'));
  try {
    await writeFile(
      path.join(workspace, 'queue-config.yaml'),
      [
        'spec:',
        '  worker_pool_specs:',
        '    - machine_spec:',
        '        machine_type: n1-standard-4',
        '        acceleratorCount: 1', // line 5: camelCase key
        '      replica_count: 1',
        '      container_spec:',
        '        image_uri: ${image_uri}',
        '  staging_bucket: gs://my-staging-bucket',
        'run:',
        '  scheduling_strategy: SOMETIMES', // line 11: not an enum value
        '',
      ].join('\n'),
    );
    const result = await world.launch({ 'queue-config': 'queue-config.yaml' }, workspace);
    expect(result.code).toBe(1);
    expect(result.errors.at(-1)).toMatch(/^::error::wb-vertex-launch: queue-config: 2 problem/);

    expect(world.vertex.record().calls).toEqual([]);
    expect(world.vertex.record().jobsCreated).toBe(0);

    const calls = requestsOf(world.github, 'createCheckRun', 'updateCheckRun');
    expect(calls).toHaveLength(1);
    expect(calls[0].body).toMatchObject({
      head_sha: PR_HEAD_SHA,
      status: 'completed',
      conclusion: 'failure',
    });
    const [run] = [...world.github.checkRuns.values()];
    const at = (run.annotations as Array<{ path: string; start_line: number; message: string }>)
      .map((a) => ({ path: a.path, line: a.start_line, message: a.message }))
      .sort((a, b) => a.line - b.line);
    expect(at).toEqual([
      {
        path: 'queue-config.yaml',
        line: 5,
        message: expect.stringContaining('"accelerator_count"'),
      },
      { path: 'queue-config.yaml', line: 11, message: expect.stringContaining('SOMETIMES') },
    ]);
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}, 30_000);

test('a phase failing before the job exists (auth) still completes a failed check run with the reason', async () => {
  const result = await world.launch({ 'workload-identity-provider': 'projects/oops' });
  expect(result.code).toBe(1);
  expect(result.errors.at(-1)).toMatch(/^::error::wb-vertex-launch: auth: /);
  expect(world.vertex.record().calls).toEqual([]);

  const calls = requestsOf(world.github, 'createCheckRun', 'updateCheckRun');
  expect(calls).toHaveLength(1);
  expect(calls[0].body).toMatchObject({
    head_sha: PR_HEAD_SHA,
    status: 'completed',
    conclusion: 'failure',
  });
  const [run] = [...world.github.checkRuns.values()];
  expect(run.output.summary ?? '').toContain('workloadIdentityPools');
  expect(result.summary).toContain('workloadIdentityPools');
}, 30_000);

test('the terminal state is sent once, in the completing call, never as an in-progress update', async () => {
  const result = await world.launch();
  expect(result.code).toBe(0);
  const updates = requestsOf(world.github, 'updateCheckRun');
  const inProgress = updates.filter((u) => u.body.status === 'in_progress');
  for (const u of inProgress) expect(u.body.output.summary).not.toContain('JOB_STATE_SUCCEEDED');
  expect(updates.filter((u) => u.body.status === 'completed')).toHaveLength(1);
}, 30_000);
