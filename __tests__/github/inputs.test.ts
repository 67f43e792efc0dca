// The action's inputs as @actions/core reads them: true/false only as GitHub's parser spells
// them, each malformed input a located problem, and the CLI's flags given as the inputs.
import { afterEach, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { UserError } from '../../src/core/errors.ts';
import { DEFAULT_PLATFORM } from '../../src/core/image/platform.ts';
import { giveInputs, readLaunchContext } from '../../src/github/inputs.ts';

const BASE = { 'queue-config': '{}', region: 'us-central1' };

afterEach(() => giveInputs({}));

async function problemsOf(inputs: Record<string, string>): Promise<unknown[]> {
  giveInputs({ ...BASE, ...inputs });
  const err = (await readLaunchContext('/tmp').catch((e: unknown) => e)) as UserError;
  return err.problems;
}

test('true and false as GitHub spells them; yes, on and 1 are problems naming their input', async () => {
  giveInputs({ ...BASE, 'dry-run': 'True', wait: 'FALSE', logs: 'false' });
  const ctx = await readLaunchContext('/tmp');
  expect([ctx.dryRun, ctx.wait, ctx.logs]).toEqual([true, false, false]);
  expect(ctx.reporting.checkRun).toBe(true);
  expect(await problemsOf({ 'dry-run': 'yes', 'pr-comment': 'on', preflight: '1' })).toEqual([
    { path: 'dry-run', message: '"yes" is not true or false' },
    { path: 'pr-comment', message: '"on" is not true or false' },
    { path: 'preflight', message: '"1" is not true or false' },
  ]);
});

test('list inputs: one value a line, blank lines and CRLF endings dropped', async () => {
  giveInputs({ ...BASE, 'cache-from': ' type=gha \r\n  \r\nREPO:cache\n', 'wandb-metrics': '' });
  const ctx = await readLaunchContext('/tmp');
  expect(ctx.build.cacheFrom).toEqual(['type=gha', 'REPO:cache']);
  expect(ctx.wandb.metrics).toEqual([]);
});

test('the given inputs replace any already in the environment', async () => {
  process.env['INPUT_DRY-RUN'] = 'true';
  giveInputs(BASE);
  expect(process.env['INPUT_DRY-RUN']).toBeUndefined();
  expect((await readLaunchContext('/tmp')).dryRun).toBe(false);
});

test("an empty platform is the default platform, action.yml's default too", async () => {
  giveInputs(BASE);
  expect((await readLaunchContext('/tmp')).build.platform).toBe(DEFAULT_PLATFORM);
  const action = parse(readFileSync('action.yml', 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  expect(action.inputs.platform.default).toBe(DEFAULT_PLATFORM);
});
