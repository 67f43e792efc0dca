// Text the job controls (its display name, error, last log lines, W&B metric names and values)
// in every rendering: judged by CommonMark's reference parser, none of it leaves its code block
// or code span, pings anyone, links anywhere or adds HTML; and the PR comment reads back only
// the entries the action wrote, however the quoted text imitates its bookkeeping.
import { HtmlRenderer, Parser } from 'commonmark';
import {
  checkRunOutput,
  commentEntry,
  commentMarker,
  parseComment,
  renderComment,
  renderSummaryMarkdown,
  type LaunchReport,
} from '../../src/core/report/index.ts';
import { report } from './fixtures.ts';

const PING = '@org/security-team';
const EVIL = 'https://evil.example/pwn';
const MARKER = commentMarker('train', 'train');

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const forgedMeta = {
  leg: 'forged',
  run: '99999999999',
  attempt: 1,
  title: 'forged',
  headline: '✅ Succeeded',
  console: EVIL,
};
/** What a hostile job prints: every way out of a block, and the comment's bookkeeping, imitated. */
const FORGERY = [
  '```',
  '~~~',
  '</details>',
  '-->',
  '<!-- /wbvl-entry -->',
  `<!-- wbvl-entry ${b64(forgedMeta)} -->`,
  MARKER,
  `<!-- wbvl-index ${b64({ v: 1, entries: [{ meta: forgedMeta, at: [0, 9], sha: '0' }] })} -->`,
  `### ✅ Succeeded [see the run](${EVIL}) cc ${PING}`,
  '<!-- /wbvl-entry -->',
  '</code></pre></details><!--',
];

function hostileReport(overrides: Partial<LaunchReport> = {}): LaunchReport {
  return report({
    title: `train ${PING} <!-- --> [x](${EVIL})`,
    state: 'JOB_STATE_FAILED',
    error: { code: 3, message: FORGERY.join('\n') },
    logExcerpt: {
      replica: `workerpool0-0\n\n${PING}`,
      lines: FORGERY,
      errorLine: `</code></summary>\r\n\r\n${PING} [x](${EVIL}) -->`,
    },
    metrics: {
      run: { path: 'ent/proj/abc', url: 'https://wandb.ai/ent/proj/runs/abc', state: PING },
      rows: [{ name: `loss ${PING} <!--`, value: `${PING} [x](${EVIL}) </details>` }],
      history: [
        {
          name: `loss\n\`\`\`\n${PING}`,
          points: [
            [0, 1],
            [1, 0.5],
          ],
        },
      ],
      notes: [`${PING} [x](${EVIL})`],
    },
    ...overrides,
  });
}

/** The HTML GitHub would start from: CommonMark, raw HTML passed through as it does. */
function html(markdown: string): string {
  return new HtmlRenderer().render(new Parser().parse(markdown));
}

/** The HTML with every code block and code span taken out: where a mention or link would act. */
function outsideCode(rendered: string): string {
  return rendered.replace(/<pre>[\s\S]*?<\/pre>/g, '').replace(/<code>[\s\S]*?<\/code>/g, '');
}

function expectContained(markdown: string, ownDetails: number): void {
  const rendered = html(markdown);
  const outside = outsideCode(rendered);
  expect(outside).not.toContain(PING);
  expect(rendered).not.toContain('href="https://evil');
  // The only HTML is the action's own: its <details> stay balanced, no quoted comment opens.
  expect(rendered.match(/<details>/g) ?? []).toHaveLength(ownDetails);
  expect(rendered.match(/<\/details>/g) ?? []).toHaveLength(ownDetails);
  expect(
    outside.replace(/<!-- wb(-vertex-launch:train:train|vl-index [\w-]+) -->/g, ''),
  ).not.toMatch(/<!--|-->/);
  expect(outside).not.toMatch(/wbvl-entry|<script|<img/);
  // Each forged line is still shown, as text, inside a code block.
  const blocks = [...rendered.matchAll(/<pre><code[^>]*>([\s\S]*?)<\/code><\/pre>/g)].map(
    (m) => m[1],
  );
  expect(blocks.some((b) => b.includes('&lt;!-- /wbvl-entry --&gt;\n&lt;!-- wbvl-entry'))).toBe(
    true,
  );
}

test('the job summary: the error and the log lines stay in their code blocks', () => {
  expectContained(renderSummaryMarkdown(hostileReport()), 2);
});

test('the check run: summary and text', () => {
  const output = checkRunOutput(hostileReport());
  expect(outsideCode(html(output.summary))).not.toContain(PING);
  expect(html(output.summary)).not.toContain('href="https://evil');
  expectContained(output.text ?? '', 2);
});

test('the PR comment, one entry and several: contained, and only the real entries read back', () => {
  const real = commentEntry(hostileReport(), { key: 'leg-a', label: 'a' }, { id: '7', attempt: 1 });
  const other = commentEntry(
    report({ jobName: 'projects/p/locations/r/customJobs/2', state: 'JOB_STATE_RUNNING' }),
    { key: 'leg-b', label: 'b' },
    { id: '7', attempt: 1 },
  );
  for (const entries of [[real], [real, other]]) {
    const body = renderComment(MARKER, entries, { heading: `train ${PING}` });
    // Each entry folds its details (one <details>); the hostile entry's fold also holds its
    // full log excerpt (another), as its 11 lines are more than the tail shows.
    expectContained(body, entries.length === 1 ? 2 : 3);
    const parsed = parseComment(body);
    expect(parsed.map((e) => e.meta)).toEqual(
      [real, other].slice(0, entries.length).map((e) => e.meta),
    );
    expect(parsed.map((e) => e.body)).toEqual(entries.map((e) => e.body));
    expect(parsed.some((e) => e.meta.run === '99999999999')).toBe(false);
  }
});

test('a comment that is only quoted text, marker and index lines included, has no entries', () => {
  // The forged lines as a comment body of their own: the index must be the body's second line.
  expect(parseComment(FORGERY.join('\n'))).toEqual([]);
  expect(parseComment(`${MARKER}\n\n${FORGERY.slice(7).join('\n')}`)).toEqual([]);
});

test('a body no longer at its place (the comment was cut or edited) reads back as a pointer', () => {
  const entry = commentEntry(report(), { key: 'k' }, { id: '1', attempt: 1 });
  const body = renderComment(MARKER, [entry], { heading: 'h' });
  const [kept] = parseComment(body);
  expect(kept).toEqual(entry);
  const [moved] = parseComment(body.replace('### ', '#### '));
  expect(moved.meta).toEqual(entry.meta);
  expect(moved.body).toBe('_Details are in the check run and the job summary._');
});
