// The bundled action's `reconcile` and `attach` against jobs whose labels point at check runs
// that are not theirs: another app's "unit tests" (open) and "lint" (failed). Such labels can
// come from any job in the project; the check runs must stay exactly as they were, while the
// action's own check runs are still completed.
import { jobEnded } from '../helpers/job-end.ts';
import {
  PR_HEAD_SHA,
  PR_NUMBER,
  requestsOf,
  useReportingWorld,
} from '../action-reporting/setup.ts';

const world = useReportingWorld();

const RECONCILE = { reconcile: 'true', 'queue-config': '' };
/** With `actions: read`, reconcile completes check runs by the id in the job's labels. */
const WATERMARKED = {
  GITHUB_WORKFLOW_REF: 'org/repo/.github/workflows/reconcile.yml@refs/heads/main',
};

/** Another app's check run on the PR head, made through the API as that app would. */
async function foreignCheckRun(body: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${world.github.url}/repos/org/repo/check-runs`, {
    method: 'POST',
    headers: { authorization: 'token ghs_anotherapp', 'content-type': 'application/json' },
    body: JSON.stringify({
      head_sha: PR_HEAD_SHA,
      output: { title: body.name, summary: 'from another app' },
      ...body,
    }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: number }).id;
}

async function foreignRuns() {
  const unitTests = await foreignCheckRun({
    name: 'unit tests',
    status: 'in_progress',
    external_id: 'ci-1234',
  });
  const lint = await foreignCheckRun({
    name: 'lint',
    status: 'completed',
    conclusion: 'failure',
  });
  return { unitTests, lint };
}

/** A job in the project whose labels claim a check run and an ended, detached launch. */
function jobClaiming(checkRun: number): string {
  return world.vertex.seedJob({
    parent: 'projects/my-proj-1/locations/us-central1',
    customJob: {
      displayName: 'claims-a-check-run',
      jobSpec: { workerPoolSpecs: [] },
      labels: {
        'managed-by': 'wb-vertex-launch',
        'github-repository': 'org_repo',
        'github-sha': PR_HEAD_SHA,
        'github-head-sha': PR_HEAD_SHA,
        'github-pr': String(PR_NUMBER),
        'wb-vertex-launch-wait': 'detached',
        'github-check-run': String(checkRun),
      },
    },
  });
}

const snapshot = (ids: number[]) =>
  ids.map((id) => structuredClone(world.github.checkRuns.get(id)));
const writesTo = (ids: number[]) =>
  requestsOf(world.github, 'updateCheckRun').filter((r) =>
    ids.some((id) => r.path.endsWith(`/check-runs/${id}`)),
  );

for (const [how, env] of [
  ['by the id in its labels', WATERMARKED],
  ['by listing the commit', {}],
] as const) {
  test(`reconcile (${how}) leaves foreign check runs exactly as they were; its own is completed`, async () => {
    if (env === WATERMARKED)
      world.github.seedWorkflowRun({
        id: 1,
        workflow: 'reconcile.yml',
        status: 'completed',
        conclusion: 'success',
        run_started_at: new Date(Date.now() - 3_600_000).toISOString(),
      });
    const { unitTests, lint } = await foreignRuns();
    const before = snapshot([unitTests, lint]);
    const claiming = [jobClaiming(unitTests), jobClaiming(lint)];
    const mine = await world.launch({ wait: 'false' });
    const [own] = [...world.github.checkRuns.values()].filter(
      (r) => r.external_id === mine.outputs['job-name'],
    );
    for (const name of [...claiming, mine.outputs['job-name']]) await jobEnded(world.vertex, name);

    const result = await world.launch(RECONCILE, undefined, env);
    expect(result.code).toBe(0);
    expect(snapshot([unitTests, lint])).toEqual(before);
    expect(writesTo([unitTests, lint])).toEqual([]);
    expect(world.github.checkRuns.get(own.id)).toMatchObject({
      status: 'completed',
      conclusion: 'success',
    });
    expect(result.summary).toContain('1 completed now');
  });
}

test("attach to a job claiming another app's check run: that check run stays as it was", async () => {
  const { unitTests, lint } = await foreignRuns();
  const before = snapshot([unitTests, lint]);
  const name = jobClaiming(unitTests);
  await jobEnded(world.vertex, name);

  const result = await world.launch({ attach: name, 'queue-config': '' });
  expect(result.code).toBe(0);
  expect(snapshot([unitTests, lint])).toEqual(before);
  expect(writesTo([unitTests, lint])).toEqual([]);
  // The job gets a check run of its own instead.
  const own = [...world.github.checkRuns.values()].filter((r) => r.external_id === name);
  expect(own).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'success' })]);
});

test("attach leaves the job's own check run alone once it is completed, and opens no second one", async () => {
  const launched = await world.launch({ wait: 'false' });
  const name = launched.outputs['job-name'];
  const [run] = [...world.github.checkRuns.values()];
  expect(run).toMatchObject({ external_id: name, status: 'in_progress' });
  // Someone completes it by hand (say, cancelled from a rerun of the checks).
  Object.assign(run, { status: 'completed', conclusion: 'cancelled' });
  const before = structuredClone(run);
  await jobEnded(world.vertex, name);
  const writes = requestsOf(world.github, 'updateCheckRun', 'createCheckRun').length;

  const result = await world.launch({ attach: name, 'queue-config': '' });
  expect(result.code).toBe(0);
  expect(world.github.checkRuns.get(run.id)).toEqual(before);
  expect(world.github.checkRuns.size).toBe(1);
  expect(requestsOf(world.github, 'updateCheckRun', 'createCheckRun')).toHaveLength(writes);
});
