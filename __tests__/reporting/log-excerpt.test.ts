// A failed job's last lines in the three renderings, collapsed, and the check-run annotation
// with the line that names the error; nothing a job printed can change the document.
import {
  checkRunOutput,
  jobErrorAnnotations,
  logExcerptBlock,
  commentEntry,
  renderComment,
  renderSummaryMarkdown,
} from '../../src/core/report/index.ts';
import { report } from './fixtures.ts';

const failed = report({
  state: 'JOB_STATE_FAILED',
  jobId: '42',
  error: { code: 3, message: 'The replica workerpool0-0 exited with a non-zero status of 1.' },
  logExcerpt: {
    replica: 'workerpool0-0',
    lines: ['epoch 1', 'Traceback (most recent call last):', '  File "t.py"', "KeyError: 'lr'"],
    errorLine: "KeyError: 'lr'",
    earlierLinesOmitted: true,
  },
});

test('a collapsed block with the replica and the error line, the lines in a fence', () => {
  const block = logExcerptBlock(failed);
  expect(block).toContain(
    "<details><summary>Last 4 log lines of <code>workerpool0-0</code>: <code>KeyError: 'lr'</code></summary>",
  );
  expect(block).toContain(
    '```text\nepoch 1\nTraceback (most recent call last):\n  File "t.py"\nKeyError: \'lr\'\n```',
  );
  expect(block.endsWith('</details>')).toBe(true);
  expect(logExcerptBlock(report())).toBe('');
});

test('the summary, the check run and the PR comment each carry it', () => {
  for (const markdown of [
    renderSummaryMarkdown(failed),
    checkRunOutput(failed).summary,
    renderComment('<!-- m -->', [commentEntry(failed, { key: 'k' }, { id: '1', attempt: 1 })], {
      heading: 'h',
    }),
  ]) {
    expect(markdown).toContain('Last 4 log lines of <code>workerpool0-0</code>');
    expect(markdown).toContain("KeyError: 'lr'\n```");
  }
});

test('printed backticks, HTML and mentions stay text', () => {
  const hostile = report({
    state: 'JOB_STATE_FAILED',
    logExcerpt: {
      replica: '<b>w</b>',
      lines: ['```', '</details><img src=x>', '@octocat'],
      errorLine: '</code></summary><script>',
    },
  });
  const block = logExcerptBlock(hostile);
  expect(block).toContain('````text\n```\n</details><img src=x>\n@octocat\n````');
  expect(block).toContain('<code>&lt;b&gt;w&lt;/b&gt;</code>');
  expect(block).toContain('<code>&lt;/code&gt;&lt;/summary&gt;&lt;script&gt;</code>');
});

test('too big for the room left: the oldest lines go first', () => {
  const many = report({
    logExcerpt: {
      replica: 'w',
      lines: Array.from({ length: 30 }, (_, i) => `line ${i} ${'x'.repeat(50)}`),
    },
  });
  const block = logExcerptBlock(many, 800);
  expect(block.length).toBeLessThanOrEqual(800);
  expect(block).toContain('line 29');
  expect(block).not.toContain('line 0 ');
});

test('the error line is a failure annotation on the queue config, after the Vertex error', () => {
  const annotations = jobErrorAnnotations(failed, 'train/queue.yaml');
  expect(annotations).toHaveLength(2);
  expect(annotations[1]).toEqual({
    path: 'train/queue.yaml',
    start_line: 1,
    end_line: 1,
    annotation_level: 'failure',
    title: 'Error in workerpool0-0 (job 42)',
    message: "KeyError: 'lr'",
  });
  const noError = jobErrorAnnotations({ ...failed, error: undefined }, 'q.yaml');
  expect(noError.map((a) => a.message)).toEqual(["KeyError: 'lr'"]);
});
