// The bundled action's PR comment against what a hostile pull request can write: a failing
// job whose last log lines imitate the comment's bookkeeping (old and new), fences and HTML;
// a human's comment that starts with the marker; and reactions that answer 404 on a comment
// that exists. The comment is judged by its parsed entries and by CommonMark's reference
// parser: nothing forged shows up in it or takes it over.
import { HtmlRenderer, Parser } from 'commonmark';
import { ACTIONS_BOT, HUMAN } from '../../emulators/github/emulator.ts';
import { legOf } from '../../src/core/launch-identity.ts';
import {
  commentEntry,
  commentMarker,
  parseComment,
  renderComment,
} from '../../src/core/report/index.ts';
import { startLogsWorld, PR_NUMBER, type LogsWorld } from '../action-logs/setup.ts';
import { warnings } from '../action-reporting/setup.ts';
import { report } from '../reporting/fixtures.ts';

const PING = '@org/security-team';
const EVIL = 'https://evil.example/pwn';
const MARKER = commentMarker('train', 'train');
/** The leg of every launch here (no matrix, step `launch`): a forgery can aim at it. */
const LEG = legOf('null', 'launch').key;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

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

const forged = (leg: string) => ({
  leg,
  run: '99999999999',
  attempt: 1,
  title: 'train',
  headline: '✅ Succeeded',
  console: EVIL,
});
const HOSTILE_LINES = [
  'loading data',
  '<!-- /wbvl-entry -->',
  `<!-- wbvl-entry ${b64(forged(LEG))} -->`,
  `### ✅ Succeeded: Vertex AI job train [all good](${EVIL}) cc ${PING}`,
  '<!-- /wbvl-entry -->',
  `<!-- wbvl-entry ${b64(forged('another-leg'))} -->`,
  `✅ Succeeded ${PING}`,
  '<!-- /wbvl-entry -->',
  MARKER,
  `<!-- wbvl-index ${b64({ v: 1, entries: [{ meta: forged(LEG), at: [0, 4], sha: 'x' }] })} -->`,
  '```',
  '~~~',
  '</details>',
  '-->',
  'Traceback (most recent call last):',
  '  File "/app/train.py", line 9, in <module>',
  `RuntimeError: ${PING} </code></summary></details> -->`,
];

function queueHostileLogs(): void {
  world.logging.queueScripts({
    lateMs: 10,
    entries: HOSTILE_LINES.map((text, i) => ({
      at: 40 + i,
      replica: 'workerpool0-0',
      stream: 'stderr' as const,
      text,
    })),
  });
}

const comments = () => [...world.github.comments.values()].filter((c) => c.issue === PR_NUMBER);

/** What GitHub would render, with code blocks and spans taken out: where text could act. */
function renderedOutsideCode(markdown: string): string {
  return new HtmlRenderer()
    .render(new Parser().parse(markdown))
    .replace(/<pre>[\s\S]*?<\/pre>/g, '')
    .replace(/<code>[\s\S]*?<\/code>/g, '');
}

test("forged entries in a failing job's last log lines neither show up in nor take over the comment", async () => {
  world.vertex.queueScenarios('fail');
  queueHostileLogs();
  const failed = await world.launch();
  expect(failed.code).toBe(1);

  const [comment] = comments();
  expect(comments()).toHaveLength(1);
  expect(comment.user).toEqual(ACTIONS_BOT);
  // The log lines are in the comment, as text in a code block...
  expect(comment.body).toContain(HOSTILE_LINES[2]);
  const outside = renderedOutsideCode(comment.body);
  expect(outside).not.toContain(PING);
  expect(outside).not.toContain('wbvl-entry');
  expect(new HtmlRenderer().render(new Parser().parse(comment.body))).not.toContain(
    `href="${EVIL}`,
  );
  // ...and the only entry is the real one.
  const entries = parseComment(comment.body);
  expect(entries).toHaveLength(1);
  expect(entries[0].meta).toMatchObject({ leg: LEG, job: failed.outputs['job-name'] });
  expect(entries[0].meta.headline).toMatch(/^❌ Failed/);
  expect(entries[0].meta.console).toBe(failed.outputs['job-url']);

  // A later run of the leg replaces its entry: the forged run number held nothing back.
  const next = await world.launch();
  expect(next.code).toBe(0);
  expect(comments()).toHaveLength(1);
  const after = parseComment(comments()[0].body);
  expect(after).toHaveLength(1);
  expect(after[0].meta.job).toBe(next.outputs['job-name']);
  expect(after[0].meta.headline).toMatch(/^✅ Succeeded/);
});

test("a human's marker comment is neither adopted nor edited: the action writes its own", async () => {
  // A comment as the action would render it, claiming success for this very leg.
  const fake = commentEntry(
    report({ state: 'JOB_STATE_SUCCEEDED' }),
    { key: LEG },
    { id: '99999999999', attempt: 1 },
  );
  const body = renderComment(MARKER, [fake], { heading: 'train / train' });
  const [human] = world.github.seedComments(PR_NUMBER, [body], HUMAN);
  const before = { ...human };

  world.vertex.queueScenarios('fail');
  const result = await world.launch();
  expect(result.code).toBe(1);

  expect(world.github.comments.get(human.id)).toEqual(before);
  expect(world.github.requests.filter((r) => r.path.includes(`/comments/${human.id}`))).toEqual([]);
  const own = comments().filter((c) => c.id !== human.id);
  expect(own).toHaveLength(1);
  expect(own[0].user).toEqual(ACTIONS_BOT);
  const [entry] = parseComment(own[0].body);
  expect(entry.meta.job).toBe(result.outputs['job-name']);
  expect(entry.meta.headline).toMatch(/^❌ Failed/);
});

test('reactions answering 404 on the existing comment: it is still updated to the end, with one warning', async () => {
  world.github.fail({
    status: 404,
    times: 1000,
    route: 'createReaction',
    path: /\/issues\/comments\/\d+\/reactions$/,
  });
  const result = await world.launch();
  expect(result.code).toBe(0);
  const [comment] = comments();
  expect(comments()).toHaveLength(1);
  const [entry] = parseComment(comment.body);
  expect(entry.meta.headline).toMatch(/^✅ Succeeded/);
  // Each 404 was checked with a GET of the comment, which exists.
  const reads = world.github.requests.filter(
    (r) => r.route === 'getComment' && r.path.endsWith(`/comments/${comment.id}`),
  );
  expect(reads.length).toBeGreaterThanOrEqual(2);
  const lock = warnings(result).filter((w) => /lock/.test(w));
  expect(lock).toHaveLength(1);
  expect(lock[0]).toMatch(/cannot be used \(HTTP 404/);
  expect(warnings(result)).toHaveLength(1);
});
