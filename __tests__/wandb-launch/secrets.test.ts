// The W&B keys never show: neither the step's wandb-api-key nor a queue item's own
// `_wandb_api_key` appears in any output, the log, the job summary, a check run, a PR comment
// or a file the step wrote, through the bundled action against the W&B, Vertex and GitHub
// stand-ins: an agent pass that waits (and fails an item in W&B) and a launch of a W&B queue's
// config on a pull request. Both keys are masked; the item's before anything else is printed.
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  filesUnder,
  findSecrets,
  maskedValues,
  printed,
  type Written,
} from '../action-auth/scan.ts';
import type { ActionResult } from '../helpers/action-runner.ts';
import {
  ITEM_KEY,
  QUEUE,
  startLaunchWorld,
  TEMPLATED_QUEUE,
  WANDB_KEY,
  type LaunchWorld,
} from './setup.ts';

let world: LaunchWorld;
beforeAll(async () => {
  world = await startLaunchWorld();
});
afterAll(async () => world?.close());
beforeEach(async () => world.reset());

const IMAGE = 'us-docker.pkg.dev/my-proj-1/r/trainer:4';

function shown(result: ActionResult): Written[] {
  return [
    ...printed(result),
    { source: 'summary', text: result.summary },
    { source: 'outputs', text: JSON.stringify(result.outputWrites) },
    ...filesUnder(result.runnerTemp),
    ...[...world.github.checkRuns.values()].map((r) => ({
      source: `check run ${r.name}`,
      text: JSON.stringify(r),
    })),
    ...[...world.github.comments.values()].map((c) => ({ source: 'comment', text: c.body })),
  ];
}

test("an agent pass: neither key shows anywhere; the item's key is masked before it could print", async () => {
  world.wandb.addQueue(QUEUE, TEMPLATED_QUEUE);
  const values = { machine_type: 'n1-standard-4' };
  const runSpec = (runId: string) => ({
    docker: { docker_image: IMAGE },
    entity: 'octo-team',
    project: 'vertex-runs',
    run_id: runId,
    _wandb_api_key: ITEM_KEY,
  });
  world.wandb.enqueue(QUEUE, { runSpec: runSpec('runkey001'), templateVariableValues: values });
  world.wandb.enqueue(QUEUE, { runSpec: { ...runSpec('runkey002'), resource: 'kubernetes' } });
  const result = await world.run({
    agent: 'true',
    'wandb-queue': QUEUE,
    'agent-max-items': '5',
    wait: 'true',
  });
  expect(result.code).toBe(0);
  // The container got the item's key (W&B's runner gives the run the key it was queued with).
  const request = world.vertex.record().calls.find((c) => c.method === 'CreateCustomJob')!.request;
  expect(JSON.stringify(request)).toContain(ITEM_KEY);
  expect(findSecrets(shown(result), [WANDB_KEY, ITEM_KEY])).toEqual([]);
  expect([...maskedValues(result)]).toEqual(expect.arrayContaining([WANDB_KEY, ITEM_KEY]));
  const lines = result.stdout.split('\n');
  const firstItemLine = lines.findIndex((l) => l.includes('W&B queue item'));
  expect(lines.indexOf(`::add-mask::${ITEM_KEY}`)).toBeGreaterThan(-1);
  expect(lines.indexOf(`::add-mask::${ITEM_KEY}`)).toBeLessThan(firstItemLine);
  // Nor does either key reach W&B in a failure message.
  const messages = world.wandb.queueItems(QUEUE).map((i) => i.failure?.message ?? '');
  expect(
    findSecrets([{ source: 'W&B', text: messages.join('\n') }], [WANDB_KEY, ITEM_KEY]),
  ).toEqual([]);
});

test("a W&B queue's config launched on a pull request: the key shows nowhere", async () => {
  world.wandb.addQueue(QUEUE, TEMPLATED_QUEUE);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wbvl-pr-'));
  const event = path.join(dir, 'event.json');
  await writeFile(
    event,
    JSON.stringify({
      number: 17,
      pull_request: {
        number: 17,
        head: { sha: 'feedface'.repeat(5), ref: 'feature' },
        base: { ref: 'main' },
      },
    }),
  );
  const result = await world.run(
    {
      'wandb-queue': QUEUE,
      'template-variables': 'machine_type=n1-standard-8',
      image: IMAGE,
      'pr-comment': 'true',
    },
    {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_REF: 'refs/pull/17/merge',
      GITHUB_HEAD_REF: 'feature',
    },
  );
  expect(result.code).toBe(0);
  expect(world.github.comments.size).toBe(1);
  expect(world.github.checkRuns.size).toBe(1);
  expect(result.outputs['request-file']).toBeDefined();
  expect(findSecrets(shown(result), [WANDB_KEY])).toEqual([]);
});
