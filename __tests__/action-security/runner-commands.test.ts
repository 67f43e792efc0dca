// The judge and the defence, on their own: the runner-rules parser finds every command the
// hostile corpus carries when it is printed as it is, and finds none once the lines go
// through the action's one way out for untrusted text (core/untrusted-text.ts).
import { commandSafeLines } from '../../src/core/untrusted-text.ts';
import { readAsRunner } from '../helpers/runner-commands.ts';
import { hostileEffects, hostileLines, MARKER } from './hostile.ts';

const VICTIM = 'projects/other-proj/locations/us-central1/customJobs/999';
const TOKEN = '6f1c2d4e-0b3a-4c5d-8e9f-a0b1c2d3e4f5';
const print = (lines: string[]) => lines.map((l) => `${l}\n`).join('');

test('control: printed as it is, the corpus sets state, outputs, masks and annotations', () => {
  const view = readAsRunner(print(hostileLines(VICTIM)));
  expect(view.state).toEqual({
    'job-name': VICTIM,
    'job-phase': 'following',
    'build-job-name': VICTIM,
    'build-job-phase': 'following',
  });
  expect(view.outputs).toEqual({
    'job-name': `${MARKER}-output`,
    'job-url': `${MARKER}-legacy-anywhere`,
    'job-state': `${MARKER}-after-cr`,
  });
  expect(view.masks).toEqual([`${MARKER}-indented-mask`, `${MARKER}-legacy-mask`]);
  expect(view.annotations).toEqual([
    {
      level: 'error',
      properties: { file: `src/${MARKER}.py`, line: '1', title: MARKER },
      message: `${MARKER} forged error`,
    },
    { level: 'warning', properties: { title: MARKER }, message: `${MARKER} forged warning` },
    { level: 'notice', properties: {}, message: `${MARKER} forged notice` },
  ]);
  expect(view.env).toEqual({ NODE_OPTIONS: `--require=/tmp/${MARKER}.js` });
  // Its own stop-commands would silence the action's next command.
  expect(view.endsStopped).toBe(true);
  expect(
    readAsRunner(print([...hostileLines(VICTIM), '::error::the step failed'])).annotations,
  ).toHaveLength(3);
  expect(hostileEffects(view, VICTIM).length).toBeGreaterThan(10);
});

test('through the one way out, the corpus achieves nothing and the next command still works', () => {
  const out = commandSafeLines(hostileLines(VICTIM), TOKEN);
  const view = readAsRunner(print([...out, '::error::the step failed']));
  expect(hostileEffects(view, VICTIM)).toEqual([]);
  expect(view.commands.map((c) => c.command)).toEqual(['stop-commands', TOKEN, 'error']);
  expect(view.annotations).toEqual([
    { level: 'error', properties: {}, message: 'the step failed' },
  ]);
  // The bare CR became a line of its own: the runner and the printed block agree.
  expect(out).toContain(`::set-output name=job-state::${MARKER}-after-cr`);
  expect(out).toContain(`##[\\add-mask]${MARKER}-legacy-mask`);
});

test('legacy `##[` is defused anywhere, also where it would resume a block', () => {
  const out = commandSafeLines([`x ##[${TOKEN}] then ::save-state name=a::b`], TOKEN);
  expect(out[1]).toBe(`x ##[\\${TOKEN}] then ::save-state name=a::b`);
  const view = readAsRunner(print([...out.slice(0, 2), '::save-state name=a::b']));
  // The block is still open: the forged resume did not end it.
  expect(view.state).toEqual({});
  expect(view.endsStopped).toBe(true);
});

test('when-needed: plain messages print as they are; one that could be a command is wrapped', () => {
  expect(commandSafeLines(['Vertex AI job 1 is RUNNING.'], TOKEN, 'when-needed')).toEqual([
    'Vertex AI job 1 is RUNNING.',
  ]);
  const failed = `Vertex AI job 1 is FAILED (INVALID_ARGUMENT: boom\n::add-mask::${MARKER}).`;
  const out = commandSafeLines([failed], TOKEN, 'when-needed');
  expect(out).toEqual([
    `::stop-commands::${TOKEN}`,
    'Vertex AI job 1 is FAILED (INVALID_ARGUMENT: boom',
    `::add-mask::${MARKER}).`,
    `::${TOKEN}::`,
  ]);
  expect(readAsRunner(print(out)).masks).toEqual([]);
  // A line with only the legacy form needs no block: defused, it is plain text.
  expect(commandSafeLines([`a ##[add-mask]${MARKER}`], TOKEN, 'when-needed')).toEqual([
    `a ##[\\add-mask]${MARKER}`,
  ]);
});

test('each block is closed by its own token, so blocks in a row each end', () => {
  const out = [
    ...commandSafeLines(['::warning::a'], TOKEN),
    ...commandSafeLines(['::warning::b'], TOKEN.replace(/^6/, '7')),
    '::warning::ours',
  ];
  const view = readAsRunner(print(out));
  expect(view.endsStopped).toBe(false);
  expect(view.annotations.map((a) => a.message)).toEqual(['ours']);
});
