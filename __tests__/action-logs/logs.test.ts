// The bundled action reading the job's logs from the Cloud Logging emulator, as GitHub runs
// it: the training output in the step log (each line once, prefixed by its replica, with
// workflow commands off), a failed job's last lines in the job summary, check run and PR
// comment with the error line as an annotation on the queue config; a denied read is one
// warning and the step still passes; `logs: false` reads nothing.
import { startLogsWorld, untrustedBlocks, type LogsWorld } from './setup.ts';

let world: LogsWorld;
beforeAll(async () => {
  world = await startLogsWorld();
});
afterAll(async () => {
  await world?.close();
});
beforeEach(async () => {
  await world.reset();
});

const training = {
  lateMs: 20,
  entries: [
    { at: 50, replica: null, text: 'Job is running.' },
    { at: 60, replica: 'workerpool0-0', text: 'epoch 1/2 loss=0.9' },
    { at: 70, replica: 'workerpool0-1', text: 'epoch 1/2 loss=0.8' },
    { at: 80, replica: 'workerpool0-0', text: 'epoch 2/2 loss=0.5', lateMs: 60 },
    { at: 90, replica: 'workerpool0-1', text: 'epoch 2/2 loss=0.4' },
    // Output that tries to speak to the runner: must stay plain text.
    { at: 100, replica: 'workerpool0-0', text: '::error file=x::forged' },
    { at: 110, replica: 'workerpool0-0', text: '::add-mask::loss' },
  ],
};

function jobLines(stdout: string): string[] {
  return untrustedBlocks(stdout).flatMap((b) => b.lines);
}

test('a succeeding job: every line once, prefixed by its replica, each replica in order, commands off', async () => {
  world.logging.queueScripts(training);
  const result = await world.launch();
  expect(result.code).toBe(0);
  expect(result.errors).toEqual([]);
  const lines = jobLines(result.stdout);
  // Every line exactly once; each replica's in its own order. (Across replicas, lines read in
  // different pages may interleave differently on a loaded machine.)
  expect([...lines].sort()).toEqual(
    [
      '[job] Job is running.',
      '[workerpool0-0] epoch 1/2 loss=0.9',
      '[workerpool0-1] epoch 1/2 loss=0.8',
      '[workerpool0-0] epoch 2/2 loss=0.5',
      '[workerpool0-1] epoch 2/2 loss=0.4',
      '[workerpool0-0] ::error file=x::forged',
      '[workerpool0-0] ::add-mask::loss',
    ].sort(),
  );
  const of = (replica: string) => lines.filter((l) => l.startsWith(`[${replica}]`));
  expect(of('workerpool0-0')).toEqual([
    '[workerpool0-0] epoch 1/2 loss=0.9',
    '[workerpool0-0] epoch 2/2 loss=0.5',
    '[workerpool0-0] ::error file=x::forged',
    '[workerpool0-0] ::add-mask::loss',
  ]);
  expect(of('workerpool0-1')).toEqual([
    '[workerpool0-1] epoch 1/2 loss=0.8',
    '[workerpool0-1] epoch 2/2 loss=0.4',
  ]);
  expect(untrustedBlocks(result.stdout).every((b) => b.closed)).toBe(true);
  // The job's lines come before the step's verdict.
  expect(result.stdout.indexOf('epoch 2/2 loss=0.4')).toBeLessThan(
    result.stdout.indexOf('succeeded.'),
  );
  const calls = world.logging.calls();
  expect(calls.length).toBeGreaterThan(0);
  expect(calls.every((c) => c.code === 0 && c.token === null)).toBe(true);
  expect(String(calls[0].request.filter)).toContain(
    `resource.labels.job_id="${result.outputs['job-id']}"`,
  );
  // No excerpt for a job that succeeded.
  expect(result.summary).not.toMatch(/log lines? of/);
});

test('a failed job: its last lines in the summary, check run and PR comment; the error line annotated on the queue config', async () => {
  world.vertex.queueScenarios('fail');
  world.logging.queueScripts({
    lateMs: 10,
    entries: [
      { at: 40, replica: 'workerpool0-1', text: 'waiting for peers' },
      { at: 50, replica: 'workerpool0-0', text: 'loading data' },
      {
        at: 60,
        replica: 'workerpool0-0',
        stream: 'stderr',
        text: 'Traceback (most recent call last):',
      },
      {
        at: 61,
        replica: 'workerpool0-0',
        stream: 'stderr',
        text: '  File "/app/train.py", line 9, in <module>',
      },
      { at: 62, replica: 'workerpool0-0', stream: 'stderr', text: "KeyError: 'lr'" },
      { at: 90, replica: 'workerpool0-1', stream: 'stderr', text: '100%|##########| 5/5' },
    ],
  });
  const result = await world.launch();
  expect(result.code).toBe(1);
  expect(jobLines(result.stdout)).toContain("[workerpool0-0] KeyError: 'lr'");

  // The lines come first, unfolded, under the headline (the last 10 of them; here all 4).
  const block = [
    '4 log lines of <code>workerpool0-0</code>:',
    '',
    '```text',
    'loading data',
    'Traceback (most recent call last):',
    '  File "/app/train.py", line 9, in <module>',
    "KeyError: 'lr'",
    '```',
  ].join('\n');
  expect(result.summary).toContain(block);

  const completed = world.github.requests.filter(
    (r) => r.route === 'updateCheckRun' && r.body?.status === 'completed',
  );
  expect(completed).toHaveLength(1);
  expect(completed[0].body.conclusion).toBe('failure');
  expect(completed[0].body.output.summary).toContain(block);
  expect(completed[0].body.output.annotations).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        path: 'examples/queue-config.yaml',
        annotation_level: 'failure',
        title: `Error in workerpool0-0 (job ${result.outputs['job-id']})`,
        message: "KeyError: 'lr'",
      }),
    ]),
  );
  const [comment] = [...world.github.comments.values()];
  expect(comment.body).toContain(block);
});

test('denied reads: one warning naming roles/logging.viewer, and the step still passes', async () => {
  world.logging.faults({ deny: true });
  world.logging.queueScripts(training);
  const result = await world.launch();
  expect(result.code).toBe(0);
  expect(result.outputs['job-state']).toBe('JOB_STATE_SUCCEEDED');
  const warnings = result.stdout.split('\n').filter((l) => l.startsWith('::warning'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/roles\/logging\.viewer/);
  expect(world.logging.calls()).toHaveLength(1);
  expect(jobLines(result.stdout)).toEqual([]);
});

test('quota: RESOURCE_EXHAUSTED slows the reads, warns once, and every line still prints', async () => {
  world.logging.faults({ exhaustNext: 2 });
  world.logging.queueScripts(training);
  const result = await world.launch();
  expect(result.code).toBe(0);
  expect(jobLines(result.stdout)).toHaveLength(training.entries.length);
  const warnings = result.stdout.split('\n').filter((l) => l.startsWith('::warning'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/RESOURCE_EXHAUSTED/);
  // Per the emulator's record, whatever the machine's load: the two refusals first, then only
  // answered reads, and as many reads as the step counted.
  const calls = world.logging.calls();
  expect(calls.slice(0, 2).map((c) => c.code)).toEqual([8, 8]);
  expect(calls.slice(2).every((c) => c.code === 0)).toBe(true);
  expect(result.stdout).toContain(`in ${calls.length} ListLogEntries calls.`);
});

test('logs: false reads nothing', async () => {
  world.logging.queueScripts(training);
  const result = await world.launch({ logs: 'false' });
  expect(result.code).toBe(0);
  expect(world.logging.calls()).toEqual([]);
  expect(jobLines(result.stdout)).toEqual([]);
  expect(result.stdout).not.toContain('epoch');
});

test('a bad logging-endpoint is an input error before anything is submitted', async () => {
  const result = await world.launch({ 'logging-endpoint': 'ftp://logs.example' });
  expect(result.code).toBe(1);
  expect(result.errors.join('\n')).toMatch(/logging-endpoint "ftp:\/\/logs.example" is not valid/);
  expect(world.vertex.record().jobsCreated).toBe(0);
});
