// The PR comment's entries, pure: one per leg, parsed back from the index at the top of the
// body, written in leg order; a later run or attempt replaces its leg's entry, an older one
// never does; attach and reconcile update the entry of their job only; the size limit never
// drops an entry.
import {
  commentEntry,
  commentMarker,
  parseComment,
  renderComment,
  withJobEntry,
  withLegEntry,
  type CommentEntry,
} from '../../src/core/report/index.ts';
import { report } from './fixtures.ts';

const MARKER = commentMarker('train', 'sweep');
const HEADING = 'Vertex AI jobs: train / sweep';

function entry(
  leg: string,
  run: string,
  attempt: number,
  overrides: Parameters<typeof report>[0] = {},
): CommentEntry {
  return commentEntry(
    report({
      jobName: `projects/p/locations/us-central1/customJobs/${leg}${run}${attempt}`,
      ...overrides,
    }),
    { key: `key-${leg}`, label: leg },
    { id: run, attempt },
  );
}

const render = (entries: CommentEntry[]) =>
  renderComment(MARKER, entries, {
    heading: HEADING,
    runUrl: 'https://github.com/o/r/actions/runs/9',
  });

test('the marker names workflow and job and cannot be closed early', () => {
  expect(commentMarker('CI', 'train')).toBe('<!-- wb-vertex-launch:CI:train -->');
  expect(commentMarker('evil --> <b>', 'job:1')).toBe(
    '<!-- wb-vertex-launch:evil%20--%3E%20%3Cb%3E:job%3A1 -->',
  );
});

test('one entry: the marker, a heading with the headline, the details; parsed back whole', () => {
  const one = entry('0.01', '100', 1, { state: 'JOB_STATE_RUNNING' });
  const body = render([one]);
  expect(body.startsWith(`${MARKER}\n`)).toBe(true);
  expect(body).toContain('### 🔄 Running: Vertex AI job train-resnet');
  expect(body).toContain('[this workflow run](https://github.com/o/r/actions/runs/9)');
  expect(parseComment(body)).toEqual([one]);
});

test('several entries: an overview row and a folded section per leg, in leg order', () => {
  const entries = [
    entry('0.1', '100', 1, { state: 'JOB_STATE_SUCCEEDED', endTime: '2025-01-01T10:05:00Z' }),
    entry('0.001', '100', 1, { state: 'JOB_STATE_FAILED', error: { code: 3, message: 'boom' } }),
    entry('0.01', '100', 1, { state: 'JOB_STATE_RUNNING' }),
  ];
  const body = render(entries);
  expect(body).toContain(`### ${HEADING}`);
  const rows = body.split('\n').filter((l) => /^\*\*0\.\d+\*\* · /.test(l));
  expect(rows.map((r) => r.split(' · ')[0])).toEqual(['**0.001**', '**0.01**', '**0.1**']);
  expect(body.match(/<details><summary>Job details/g)).toHaveLength(3);
  expect(body).toContain('boom');
  expect(parseComment(body).map((e) => e.meta.legLabel)).toEqual(['0.001', '0.01', '0.1']);
});

test('a leg entry is added, replaced by its own later attempt, never by an older run', () => {
  const a1 = entry('a', '100', 1);
  const b1 = entry('b', '100', 1);
  const withBoth = withLegEntry([a1], b1)!;
  expect(withBoth.map((e) => e.meta.leg)).toEqual(['key-a', 'key-b']);

  const a2 = entry('a', '100', 2, { state: 'JOB_STATE_RUNNING' });
  const replaced = withLegEntry(withBoth, a2)!;
  expect(replaced.map((e) => e.meta.job)).toEqual([a2.meta.job, b1.meta.job]);

  // Run 99 (an older workflow run) and attempt 1 of run 100 finish later: no change.
  expect(withLegEntry(replaced, entry('a', '99', 5))).toBeUndefined();
  expect(withLegEntry(replaced, entry('a', '100', 1))).toBeUndefined();
  // Run ids compare as numbers: run 1000 is newer than run 999.
  expect(withLegEntry([entry('a', '999', 1)], entry('a', '1000', 1))).toHaveLength(1);
  expect(withLegEntry([entry('a', '1000', 1)], entry('a', '999', 1))).toBeUndefined();
  // The same content again: nothing to write.
  expect(withLegEntry(replaced, a2)).toBeUndefined();
});

test("a job's entry is updated in place, keeping its leg, run and attempt; other jobs are left alone", () => {
  const a = entry('a', '100', 1, { state: 'JOB_STATE_RUNNING', waiting: false });
  const b = entry('b', '100', 1);
  const ended = commentEntry(
    report({ jobName: a.meta.job, state: 'JOB_STATE_SUCCEEDED', endTime: '2025-01-01T12:00:00Z' }),
    { key: 'whatever' },
    { id: '0', attempt: 1 },
  );
  const next = withJobEntry([a, b], a.meta.job!, ended)!;
  expect(next[0].meta).toMatchObject({ leg: 'key-a', legLabel: 'a', run: '100', attempt: 1 });
  expect(next[0].meta.headline).toMatch(/^✅ Succeeded/);
  expect(next[1]).toBe(b);
  expect(withJobEntry(next, a.meta.job!, ended)).toBeUndefined();
  expect(withJobEntry([b], a.meta.job!, ended)).toBeUndefined();
});

test('a detached job says how its result will arrive', () => {
  const body = render([entry('a', '1', 1, { state: 'JOB_STATE_RUNNING', waiting: false })]);
  expect(body).toContain('[!NOTE]');
  expect(body).toContain('attach: projects/p/locations/us-central1/customJobs/a11');
  expect(body).toContain('reconcile: true');
});

test('over 65536 characters, bodies give way to a pointer; every entry stays', () => {
  const huge = (leg: string) =>
    entry(leg, '1', 1, {
      state: 'JOB_STATE_FAILED',
      error: { code: 3, message: 'x'.repeat(15_000) },
    });
  const body = render(['a', 'b', 'c', 'd', 'e', 'f'].map(huge));
  expect(body.length).toBeLessThanOrEqual(65536);
  expect(parseComment(body)).toHaveLength(6);
  expect(body).toContain('Details are in the check run');
});

test('a comment without a readable index has no entries, and that is not fatal', () => {
  const encoded = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const meta = { leg: 'a', run: '1', attempt: 1, title: 't', headline: 'h' };
  for (const index of [
    '!!!',
    'bm90IGpzb24',
    encoded({ v: 2, entries: [] }),
    encoded({ v: 1, entries: [{ meta: { ...meta, run: 'x' }, at: [0, 1], sha: '' }] }),
    encoded({ v: 1, entries: [{ meta, at: [5, 1], sha: '' }] }),
  ])
    expect(parseComment(`${MARKER}\n<!-- wbvl-index ${index} -->\nhello`)).toEqual([]);
  // The older layout (metadata beside each body) is not read at all.
  const older = `${MARKER}\n\n<!-- wbvl-entry ${encoded(meta)} -->\nx\n<!-- /wbvl-entry -->`;
  expect(parseComment(older)).toEqual([]);
});
