// Whose comments the PR comment reporter adopts, with the real Octokit against the GitHub
// stand-in: only the token's own user's, learned from a reaction (an installation token, as
// GITHUB_TOKEN) or GET /user (a personal access token whose reactions fail); a human's comment
// with the marker is never read, locked or edited. And a reaction 404 on a comment that
// exists: the comment is still updated, with one warning.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ACTIONS_BOT,
  HUMAN,
  startGitHubEmulator,
  type GitHubEmulator,
  type GitHubUser,
} from '../../emulators/github/emulator.ts';
import { commentEntry, commentMarker, renderComment } from '../../src/core/report/index.ts';
import { createReporter, githubRunContextFromEnv } from '../../src/reporting/index.ts';
import { recordingLogger, report, type RecordingLogger } from './fixtures.ts';

const PAT = 'github_pat_reportertest0123456789';
const DEV: GitHubUser = { login: 'ci-user', id: 4242, type: 'User' };
const MARKER = commentMarker('Train', 'launch');

let gh: GitHubEmulator;
let dir: string;
beforeEach(async () => {
  gh = await startGitHubEmulator();
  dir = mkdtempSync(join(tmpdir(), 'comment-identity-'));
});
afterEach(async () => {
  await gh.close();
  rmSync(dir, { recursive: true, force: true });
});

function reporter(log: RecordingLogger, token = 'ghs_installationtoken0123456789') {
  const eventPath = join(dir, 'event.json');
  writeFileSync(
    eventPath,
    JSON.stringify({ pull_request: { number: 42, head: { sha: 'b'.repeat(40) } } }),
  );
  const run = githubRunContextFromEnv({
    GITHUB_API_URL: gh.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo/trainer',
    GITHUB_SHA: 'a'.repeat(40),
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_RUN_ID: '7001',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'Train',
    GITHUB_JOB: 'launch',
  });
  return createReporter({
    token,
    run,
    settings: { checkRun: false, prComment: true, jobSummary: false },
    log,
    checkName: 'Vertex AI: train-resnet',
    retry: { baseDelayMs: 1, maxDelayMs: 20 },
  });
}

/** A comment as the action renders it, with one entry, by `author`. */
function seedActionComment(author: GitHubUser, headline = '✅ Succeeded') {
  const entry = commentEntry(report(), { key: 'job' }, { id: '7000', attempt: 1 });
  const body = renderComment(MARKER, [{ ...entry, meta: { ...entry.meta, headline } }], {
    heading: 'h',
  });
  return gh.seedComments(42, [body], author)[0];
}

const touched = (id: number) =>
  gh.requests.filter((r) => r.path.includes(`/comments/${id}`)).map((r) => r.method);

test("a human's comment with the marker is neither adopted nor touched: the action writes its own", async () => {
  const human = seedActionComment(HUMAN);
  const before = { ...human };
  const log = recordingLogger();
  const r = reporter(log);
  await r.submitted(report());
  await r.finished(report({ state: 'JOB_STATE_FAILED', error: { message: 'boom' } }));

  expect(gh.comments.get(human.id)).toEqual(before);
  expect(touched(human.id)).toEqual([]);
  const own = [...gh.comments.values()].filter((c) => c.id !== human.id);
  expect(own).toHaveLength(1);
  expect(own[0].user).toEqual(ACTIONS_BOT);
  expect(own[0].body.startsWith(MARKER)).toBe(true);
  expect(own[0].body).toContain('❌ Failed');
  // GITHUB_TOKEN is an installation token: its user came from the lock's reaction, not GET /user.
  expect(gh.requests.filter((q) => q.route === 'getAuthenticatedUser')).toEqual([]);
  expect(log.warnings).toEqual([]);
});

test("the token's own comment is adopted among others' marker comments, and edited in place", async () => {
  seedActionComment(HUMAN);
  const own = seedActionComment(ACTIONS_BOT, '📨 Submitted');
  const r = reporter(recordingLogger());
  await r.finished(report({ state: 'JOB_STATE_SUCCEEDED' }));
  expect(gh.comments.size).toBe(2);
  expect(gh.comments.get(own.id)!.body).toContain('✅ Succeeded');
  expect(gh.requests.filter((q) => q.route === 'createComment')).toEqual([]);
});

test('a personal access token whose reactions fail: its user comes from GET /user; one warning for the lock', async () => {
  gh.registerToken(PAT, { user: DEV, installation: false });
  const own = seedActionComment(DEV, '📨 Submitted');
  gh.refuse(['createReaction']);
  const log = recordingLogger();
  const r = reporter(log, PAT);
  await r.stateChanged(report({ state: 'JOB_STATE_RUNNING' }));
  await r.finished(report({ state: 'JOB_STATE_SUCCEEDED' }));
  expect(
    gh.requests.filter((q) => q.route === 'getAuthenticatedUser').map((q) => q.status),
  ).toEqual([200]);
  expect(gh.comments.size).toBe(1);
  expect(gh.comments.get(own.id)!.body).toContain('✅ Succeeded');
  expect(log.warnings).toHaveLength(1);
  expect(log.warnings[0]).toMatch(/lock \(a reaction\) cannot be used \(HTTP 403/);
});

test('no way to learn the user: no comment is adopted (one warning), a new one is written', async () => {
  const own = seedActionComment(ACTIONS_BOT, '📨 Submitted');
  const before = { ...own };
  gh.refuse(['createReaction']);
  const log = recordingLogger();
  await reporter(log).finished(report({ state: 'JOB_STATE_SUCCEEDED' }));
  expect(gh.comments.get(own.id)).toEqual(before);
  expect(gh.comments.size).toBe(2);
  expect(log.warnings).toHaveLength(2);
  expect(log.warnings.some((w) => w.includes('did not say which user the github-token is'))).toBe(
    true,
  );
});

test('reactions answer 404 on a comment that exists: confirmed by a GET, updated anyway, one warning', async () => {
  const log = recordingLogger();
  const r = reporter(log);
  await r.submitted(report());
  const [comment] = gh.comments.values();
  gh.fail({ status: 404, times: 10, route: 'createReaction', path: /\/comments\/\d+\/reactions$/ });
  await r.stateChanged(report({ state: 'JOB_STATE_RUNNING' }));
  await r.finished(report({ state: 'JOB_STATE_SUCCEEDED' }));

  expect(gh.comments.size).toBe(1);
  expect(gh.comments.get(comment.id)!.body).toContain('✅ Succeeded');
  const calls = gh.requests.filter((q) => q.path.includes(`/comments/${comment.id}`));
  expect(calls.map((q) => `${q.method} ${q.status}`)).toEqual([
    ...['POST 404', 'GET 200', 'GET 200', 'PATCH 200'],
    ...['POST 404', 'GET 200', 'GET 200', 'PATCH 200'],
  ]);
  expect(log.warnings).toHaveLength(1);
  expect(log.warnings[0]).toMatch(/lock \(a reaction\) cannot be used \(HTTP 404/);
});
