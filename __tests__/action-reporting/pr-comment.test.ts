// The bundled action's PR comment across workflow runs, and what happens when GitHub refuses
// every reporting call: the launch goes on and succeeds, with one warning per channel that
// names the permission the workflow job needs.
import { PR_NUMBER, requestsOf, useReportingWorld, warnings } from './setup.ts';

const world = useReportingWorld();

const MARKER = '<!-- wb-vertex-launch:train:train -->';

test('pr-comment across two runs: exactly one comment, edited in place; others left alone', async () => {
  const [foreign] = world.github.seedComments(PR_NUMBER, ['LGTM, but please run the training']);
  const inputs = { 'pr-comment': 'true', 'check-run': 'false' };

  const first = await world.launch(inputs);
  expect(first.errors).toEqual([]);
  expect(first.code).toBe(0);
  const mine = () =>
    [...world.github.comments.values()].filter(
      (c) => c.issue === PR_NUMBER && c.body.startsWith(MARKER),
    );
  expect(mine()).toHaveLength(1);
  const [comment] = mine();
  expect(comment.body).toContain(first.outputs['job-id']);
  expect(comment.body).toContain('JOB\\_STATE\\_SUCCEEDED');

  const second = await world.launch(inputs);
  expect(second.code).toBe(0);
  expect(second.outputs['job-id']).not.toBe(first.outputs['job-id']);
  expect(mine()).toHaveLength(1);
  const [again] = mine();
  expect(again.id).toBe(comment.id);
  expect(again.body).toContain(second.outputs['job-id']);
  expect(again.body).not.toContain(first.outputs['job-id']);

  // One comment ever created; the second run only edited it (found by listing, not remembered).
  expect(requestsOf(world.github, 'createComment')).toHaveLength(1);
  const edits = requestsOf(world.github, 'updateComment');
  expect(edits.length).toBeGreaterThanOrEqual(2);
  expect(edits.every((e) => e.path === `/repos/org/repo/issues/comments/${comment.id}`)).toBe(true);
  expect(world.github.comments.get(foreign.id)?.body).toBe('LGTM, but please run the training');
  expect(world.github.comments.size).toBe(2);
}, 30_000);

test('every GitHub call refused with 403: the step succeeds, one warning per channel naming its permission', async () => {
  world.github.refuse('all');
  const result = await world.launch({ 'pr-comment': 'true', 'check-run': 'true' });
  expect(result.errors).toEqual([]);
  expect(result.code).toBe(0);
  expect(result.outputs['job-state']).toBe('JOB_STATE_SUCCEEDED');

  const refused = warnings(result).filter((w) => /GitHub refused/.test(w));
  expect(refused).toHaveLength(2);
  const checkRun = refused.filter((w) => w.includes('`permissions: checks: write`'));
  const comment = refused.filter((w) => w.includes('`permissions: pull-requests: write`'));
  expect(checkRun).toHaveLength(1);
  expect(comment).toHaveLength(1);
  expect(checkRun[0]).toMatch(/HTTP 403/);
  expect(comment[0]).toMatch(/HTTP 403/);
  // No other reporting warning, and the token is never quoted.
  expect(warnings(result).filter((w) => /GitHub|check run|PR comment/i.test(w))).toHaveLength(2);
  expect(result.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain('ghs_testtoken');

  // A refused channel is switched off: one attempt each, no retries, no later updates.
  expect(requestsOf(world.github, 'createCheckRun')).toHaveLength(1);
  expect(requestsOf(world.github, 'updateCheckRun')).toHaveLength(0);
  expect(requestsOf(world.github, 'listComments')).toHaveLength(1);
  expect(requestsOf(world.github, 'createComment', 'updateComment')).toHaveLength(0);
  expect(world.github.requests.every((r) => r.status === 403)).toBe(true);
  // The job summary does not depend on GitHub's API.
  expect(result.summary).toContain(result.outputs['job-id']);
}, 30_000);
