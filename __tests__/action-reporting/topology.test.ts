// GitHub's topologies, through the bundled action against the Vertex emulator and the GitHub
// REST stand-in: matrix legs that share the run, job and step ids each launch and report their
// own job; a re-run attempt launches anew and replaces its leg's entry; legs that finish at
// the same moment lose no entry of the shared PR comment.
import { parseComment } from '../../src/core/report/index.ts';
import { PR_HEAD_SHA, useReportingWorld } from './setup.ts';

const world = useReportingWorld();

/** The same workflow run, attempt, job and step, as GitHub gives every leg of a matrix. */
const SHARED = {
  GITHUB_RUN_ID: '90001',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_JOB: 'train',
  GITHUB_ACTION: 'launch',
};
const leg = (lr: string) => ({
  'pr-comment': 'true',
  matrix: JSON.stringify({ lr }, null, 2), // as toJSON(matrix) prints it
  vars: `learning_rate=${lr}`,
});

function ourComment() {
  const ours = [...world.github.comments.values()].filter((c) =>
    c.body.startsWith('<!-- wb-vertex-launch:train:train -->'),
  );
  expect(ours).toHaveLength(1);
  return ours[0];
}

test('three concurrent legs with the same run, job and step ids: three jobs, three check runs, three entries', async () => {
  // Requests overlap on the GitHub side as they would on the real service.
  world.github.setLatency(40);
  const results = await Promise.all(
    ['0.1', '0.01', '0.001'].map((lr) => world.launch(leg(lr), undefined, SHARED)),
  );
  for (const r of results) expect(r.code).toBe(0);

  const record = world.vertex.record();
  expect(record.jobsCreated).toBe(3);
  const names = results.map((r) => r.outputs['job-name']);
  expect(new Set(names).size).toBe(3);
  expect(record.jobs.map((j) => j.name).sort()).toEqual([...names].sort());
  // Each leg's request carried its own vars, and its own launch id.
  const launchIds = record.jobs.map(
    (j) => (j.labels as Record<string, string>)['wb-vertex-launch-id'],
  );
  expect(new Set(launchIds).size).toBe(3);
  for (const job of record.jobs) {
    expect(job.labels).toMatchObject({
      'github-run-id': '90001',
      'github-run-attempt': '1',
      'github-pr': '17',
      'github-ref': 'feature',
      'github-head-sha': PR_HEAD_SHA,
    });
  }
  expect(results.every((r) => !r.stdout.includes('already exists'))).toBe(true);

  const runs = [...world.github.checkRuns.values()];
  expect(runs).toHaveLength(3);
  expect(runs.map((r) => r.name).sort()).toEqual([
    'Vertex AI: train (0.001)',
    'Vertex AI: train (0.01)',
    'Vertex AI: train (0.1)',
  ]);
  expect(runs.map((r) => r.external_id).sort()).toEqual([...names].sort());
  expect(runs.every((r) => r.status === 'completed' && r.conclusion === 'success')).toBe(true);

  // One comment, one entry per leg, each showing its own job at its end.
  const entries = parseComment(ourComment().body);
  expect(entries.map((e) => e.meta.legLabel).sort()).toEqual(['0.001', '0.01', '0.1']);
  expect(entries.map((e) => e.meta.job).sort()).toEqual([...names].sort());
  for (const e of entries) expect(e.meta.headline).toMatch(/^✅ Succeeded/);
  // Every lock taken was given back.
  expect(world.github.reactions.size).toBe(0);
  world.github.setLatency(0);
});

test("a re-run attempt launches a new job and replaces its own leg's entry, not the others'", async () => {
  await Promise.all(['0.1', '0.01'].map((lr) => world.launch(leg(lr), undefined, SHARED)));
  const first = parseComment(ourComment().body);
  const before = Object.fromEntries(first.map((e) => [e.meta.legLabel, e.meta.job]));

  // "Re-run failed jobs": only the 0.01 leg runs again, as attempt 2.
  const rerun = await world.launch(leg('0.01'), undefined, { ...SHARED, GITHUB_RUN_ATTEMPT: '2' });
  expect(rerun.code).toBe(0);
  expect(world.vertex.record().jobsCreated).toBe(3);
  expect(rerun.outputs['job-name']).not.toBe(before['0.01']);

  const after = parseComment(ourComment().body);
  expect(after).toHaveLength(2);
  const byLeg = Object.fromEntries(after.map((e) => [e.meta.legLabel, e.meta]));
  expect(byLeg['0.01']).toMatchObject({ job: rerun.outputs['job-name'], attempt: 2 });
  expect(byLeg['0.1']).toMatchObject({ job: before['0.1'], attempt: 1 });
  // The new attempt's job has its own check run; the first attempt's stays as it ended.
  expect(world.github.checkRuns.size).toBe(3);
});

test('the action used twice in one job: two jobs and two entries (the step id tells them apart)', async () => {
  const inputs = { 'pr-comment': 'true' };
  await world.launch(inputs, undefined, { ...SHARED, GITHUB_ACTION: 'baseline' });
  await world.launch(inputs, undefined, { ...SHARED, GITHUB_ACTION: 'candidate' });
  expect(world.vertex.record().jobsCreated).toBe(2);
  expect(parseComment(ourComment().body)).toHaveLength(2);
});
