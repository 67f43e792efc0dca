// W&B results for jobs that outlive their step: `attach` and `reconcile` read the run of the
// job they complete, with its baseline, into the same reports; the key never reaches any output
// or file of the steps.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesUnder, printed } from '../action-auth/scan.ts';
import { REPO_ROOT, type ActionResult } from '../helpers/action-runner.ts';
import { PR_NUMBER, startResultsWorld, WANDB_KEY, type ResultsWorld } from './setup.ts';
import { jobEnded } from '../helpers/job-end.ts';

let world: ResultsWorld;
beforeAll(async () => {
  world = await startResultsWorld();
});
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  world.vertex.reset();
  world.resetWandb();
  await world.resetGitHub();
});

const ended = (name: string) => jobEnded(world.vertex, name);

const comment = () =>
  [...world.github.comments.values()].find((c) => c.issue === PR_NUMBER)?.body ?? '';

test("attach reads the ended job's run, with the base branch's baseline", async () => {
  const main = await world.launchMain();
  expect(main.code).toBe(0);
  const launched = await world.launchPr({ wait: 'false', 'pr-comment': 'true' });
  expect(launched.code).toBe(0);
  expect(launched.summary).not.toContain('W&B metrics');
  const name = launched.outputs['job-name'];
  await ended(name);
  // A later step of the same PR workflow, with the same W&B inputs.
  const attached = await world.launchPr({ attach: name, 'queue-config': '', 'pr-comment': 'true' });
  expect(attached.code).toBe(0);
  expect(attached.summary).toContain('| Metric | This run | Baseline | Change |');
  expect(attached.outputs['wandb-summary']).toContain('"val_loss"');
  expect(comment()).toContain('| Metric | This run | Baseline | Change |');
});

test('reconcile completes the check run and the entry with the metrics; no output for several jobs', async () => {
  await world.launchMain();
  const launched = await world.launchPr({ wait: 'false', 'pr-comment': 'true' });
  const name = launched.outputs['job-name'];
  await ended(name);
  // A scheduled workflow: no pull request in its event; the job's labels name the base branch.
  const reconciled = await world.launchMain({ reconcile: 'true', 'queue-config': '' });
  expect(reconciled.code).toBe(0);
  const run = [...world.github.checkRuns.values()].find((r) => r.external_id === name)!;
  expect(run.status).toBe('completed');
  expect(run.output.summary).toContain('| Metric | This run | Baseline | Change | Trend |');
  expect(comment()).toContain('| Metric | This run | Baseline | Change |');
  expect(reconciled.outputs['wandb-summary']).toBeUndefined();
});

test('the W&B key appears in no output, log, summary, report or file of the step', async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'wbvl-results-ws-'));
  cpSync(join(REPO_ROOT, 'examples'), join(workspace, 'examples'), { recursive: true });
  const results: ActionResult[] = [
    await world.launchMain({}),
    await world.launchPr({ 'pr-comment': 'true' }, {}, workspace),
  ];
  expect(results.every((r) => r.code === 0)).toBe(true);
  expect(results[1].summary).toContain('W&B metrics');
  // It was masked, and really used.
  expect(results[1].stdout).toContain(`::add-mask::${WANDB_KEY}`);
  expect(world.wandb.requests.every((r) => r.key === WANDB_KEY)).toBe(true);
  const written = results.flatMap((r) => [
    ...printed(r),
    { source: 'outputs', text: JSON.stringify(r.outputs) },
    ...filesUnder(r.runnerTemp),
  ]);
  written.push(...filesUnder(workspace));
  for (const c of world.github.comments.values()) written.push({ source: 'comment', text: c.body });
  for (const r of world.github.checkRuns.values())
    written.push({ source: 'check run', text: JSON.stringify(r.output) });
  const leaks = written.filter((w) => w.text.includes(WANDB_KEY)).map((w) => w.source);
  expect(leaks).toEqual([]);
}, 60_000);
