// The reporter with the real Octokit (@actions/github getOctokit) against the local GitHub
// REST emulator: exact request sequences, batching, comment reuse, refusals and retries.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startGitHubEmulator,
  type GitHubEmulator,
  type RecordedRequest,
} from '../../emulators/github/emulator.ts';
import {
  createReporter,
  githubRunContextFromEnv,
  type GitHubRunContext,
} from '../../src/reporting/index.ts';
import type { ReporterOptions } from '../../src/reporting/reporter.ts';
import type { Problem } from '../../src/core/errors.ts';
import { commentMarker, parseComment } from '../../src/core/report/index.ts';
import { recordingLogger, report, type RecordingLogger } from './fixtures.ts';

const TOKEN = 'ghs_reportertesttoken0123456789';
const PUSH_SHA = 'a'.repeat(40);
const PR_HEAD_SHA = 'b'.repeat(40);

let gh: GitHubEmulator;
let dir: string;

beforeEach(async () => {
  gh = await startGitHubEmulator();
  dir = mkdtempSync(join(tmpdir(), 'reporting-'));
});

afterEach(async () => {
  await gh.close();
  rmSync(dir, { recursive: true, force: true });
});

function runContext(
  event: 'pull_request' | 'push' = 'pull_request',
  runId = '7001',
): GitHubRunContext {
  const eventPath = join(dir, `event-${runId}.json`);
  const payload =
    event === 'pull_request'
      ? { pull_request: { number: 42, head: { sha: PR_HEAD_SHA } } }
      : { ref: 'refs/heads/main' };
  writeFileSync(eventPath, JSON.stringify(payload));
  return githubRunContextFromEnv({
    GITHUB_API_URL: gh.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo/trainer',
    GITHUB_SHA: PUSH_SHA,
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_RUN_ID: runId,
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'Train',
    GITHUB_JOB: 'launch',
    GITHUB_WORKFLOW_REF: 'octo/trainer/.github/workflows/train.yml@refs/pull/42/merge',
  });
}

function reporterFor(log: RecordingLogger, overrides: Partial<ReporterOptions> = {}) {
  return createReporter({
    token: TOKEN,
    run: runContext(),
    settings: { checkRun: true, prComment: true, jobSummary: true },
    log,
    checkName: 'Vertex AI: train-resnet',
    queueConfigFile: 'launch/queue.yaml',
    retry: { baseDelayMs: 1, maxDelayMs: 20 },
    ...overrides,
  });
}

const checkCalls = (reqs: RecordedRequest[]) => reqs.filter((r) => r.path.includes('/check-runs'));
const commentCalls = (reqs: RecordedRequest[]) => reqs.filter((r) => r.path.includes('/comments'));
// The emulator's ids start at 1000; the PR number (42) stays as it is.
const shape = (r: RecordedRequest) =>
  `${r.method} ${r.path.replace(/\/\d{4,}(?=\/|$)/g, '/:id')} ${r.status}`;
const notChecks = (reqs: RecordedRequest[]) => reqs.filter((r) => !r.path.includes('/check-runs'));

describe('check run', () => {
  test('succeeding job: create in_progress on the PR head, update on each change, complete with success', async () => {
    const log = recordingLogger();
    const reporter = reporterFor(log, {
      settings: { checkRun: true, prComment: false, jobSummary: false },
    });
    await reporter.submitted(report({ state: 'JOB_STATE_PENDING', waiting: true }));
    await reporter.stateChanged(
      report({ state: 'JOB_STATE_RUNNING', startTime: '2025-01-01T10:01:00Z', waiting: true }),
    );
    await reporter.finished(
      report({
        state: 'JOB_STATE_SUCCEEDED',
        startTime: '2025-01-01T10:01:00Z',
        endTime: '2025-01-01T10:31:00Z',
      }),
    );

    const calls = checkCalls(gh.requests);
    expect(calls.map(shape)).toEqual([
      'POST /repos/octo/trainer/check-runs 201',
      'PATCH /repos/octo/trainer/check-runs/:id 200',
      'PATCH /repos/octo/trainer/check-runs/:id 200',
    ]);
    const [create, running, done] = calls.map((c) => c.body);
    expect(create).toMatchObject({
      name: 'Vertex AI: train-resnet',
      head_sha: PR_HEAD_SHA,
      status: 'in_progress',
      external_id: 'projects/123/locations/us-central1/customJobs/456',
      details_url:
        'https://console.cloud.google.com/vertex-ai/locations/us-central1/training/456?project=my-proj',
      output: { title: '⏳ Pending' },
    });
    expect(create.conclusion).toBeUndefined();
    expect(running).toMatchObject({ status: 'in_progress', output: { title: '🔄 Running' } });
    expect(done).toMatchObject({
      status: 'completed',
      conclusion: 'success',
      output: { title: '✅ Succeeded in 30m 0s' },
    });
    expect(done.completed_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(done.output.annotations).toBeUndefined();
    expect(calls.every((c) => c.authorization === `token ${TOKEN}`)).toBe(true);

    const [run] = gh.checkRuns.values();
    expect(run).toMatchObject({
      status: 'completed',
      conclusion: 'success',
      head_sha: PR_HEAD_SHA,
    });
    expect(log.warnings).toEqual([]);
  });

  test('failing job: completed with failure and one annotation carrying Vertex’s error on the queue config', async () => {
    const log = recordingLogger();
    const reporter = reporterFor(log, {
      settings: { checkRun: true, prComment: false, jobSummary: false },
    });
    await reporter.submitted(report({ state: 'JOB_STATE_QUEUED' }));
    await reporter.stateChanged(report({ state: 'JOB_STATE_RUNNING' }));
    const message = 'The replica workerpool0-0 exited with a non-zero status of 1.';
    await reporter.finished(report({ state: 'JOB_STATE_FAILED', error: { code: 3, message } }));

    const calls = checkCalls(gh.requests);
    expect(calls.map((c) => [c.method, c.body.status, c.body.conclusion])).toEqual([
      ['POST', 'in_progress', undefined],
      ['PATCH', 'in_progress', undefined],
      ['PATCH', 'completed', 'failure'],
    ]);
    const final = calls[2].body;
    expect(final.output.annotations).toEqual([
      expect.objectContaining({
        path: 'launch/queue.yaml',
        start_line: 1,
        end_line: 1,
        annotation_level: 'failure',
        message,
      }),
    ]);
    expect(final.output.summary).toContain(message);
    expect([...gh.checkRuns.values()][0]).toMatchObject({
      conclusion: 'failure',
      output: { annotations_count: 1 },
    });
  });

  test('cancelled job: completed with cancelled; a push event uses GITHUB_SHA', async () => {
    const log = recordingLogger();
    const reporter = reporterFor(log, { run: runContext('push') });
    await reporter.submitted(report({ state: 'JOB_STATE_RUNNING' }));
    await reporter.stateChanged(report({ state: 'JOB_STATE_CANCELLING' }));
    await reporter.finished(report({ state: 'JOB_STATE_CANCELLED' }));

    const calls = checkCalls(gh.requests);
    expect(calls.map((c) => [c.method, c.body.status, c.body.conclusion])).toEqual([
      ['POST', 'in_progress', undefined],
      ['PATCH', 'in_progress', undefined],
      ['PATCH', 'completed', 'cancelled'],
    ]);
    expect(calls[0].body.head_sha).toBe(PUSH_SHA);
    // No pull request: no comment traffic at all.
    expect(commentCalls(gh.requests)).toEqual([]);
    expect(log.warnings).toEqual([]);
  });

  test('a dry run is one create, completed neutral; a job left running keeps its check run in progress', async () => {
    const dry = reporterFor(recordingLogger(), {
      settings: { checkRun: true, prComment: false, jobSummary: false },
    });
    await dry.finished(report({ dryRun: true, jobId: undefined, state: undefined }));
    expect(
      checkCalls(gh.requests).map((c) => [c.method, c.body.status, c.body.conclusion]),
    ).toEqual([['POST', 'completed', 'neutral']]);

    const timed = reporterFor(recordingLogger(), {
      settings: { checkRun: true, prComment: false, jobSummary: false },
    });
    await timed.submitted(report({ state: 'JOB_STATE_RUNNING' }));
    await timed.finished(report({ state: 'JOB_STATE_RUNNING', waitTimedOut: true }));
    const detached = reporterFor(recordingLogger(), {
      settings: { checkRun: true, prComment: false, jobSummary: false },
    });
    await detached.finished(report({ state: 'JOB_STATE_QUEUED', waiting: false }));
    expect(
      checkCalls(gh.requests)
        .slice(1)
        .map((c) => [c.method, c.body.status, c.body.conclusion]),
    ).toEqual([
      ['POST', 'in_progress', undefined],
      ['PATCH', 'in_progress', undefined],
      ['POST', 'in_progress', undefined],
    ]);
    const runs = [...gh.checkRuns.values()].slice(1);
    expect(runs.map((r) => r.status)).toEqual(['in_progress', 'in_progress']);
    expect(runs[0].output.title).toContain('when the wait timed out; the job goes on');
    for (const run of runs) expect(run.output.summary).toContain('reconcile: true');
  });

  test('120 config problems: 3 requests of at most 50 annotations, the last one completes the run as failed', async () => {
    const log = recordingLogger();
    const reporter = reporterFor(log);
    const problems: Problem[] = Array.from({ length: 120 }, (_, i) =>
      i % 2 === 0
        ? {
            file: 'launch/queue.yaml',
            line: i + 1,
            path: `spec.labels.k${i}`,
            message: `bad label ${i}`,
          }
        : { path: `run.x${i}`, message: `unknown key ${i}` },
    );
    await reporter.configProblems(problems);

    const calls = checkCalls(gh.requests);
    expect(
      calls.map((c) => [
        c.method,
        c.status,
        c.body.output.annotations.length,
        c.body.status,
        c.body.conclusion,
      ]),
    ).toEqual([
      ['POST', 201, 50, 'in_progress', undefined],
      ['PATCH', 200, 50, undefined, undefined],
      ['PATCH', 200, 20, 'completed', 'failure'],
    ]);
    const sent = calls.flatMap((c) => c.body.output.annotations);
    expect(sent.map((a: { message: string }) => a.message)).toEqual(problems.map((p) => p.message));
    expect(sent[0]).toMatchObject({ path: 'launch/queue.yaml', start_line: 1 });
    expect(sent[1]).toMatchObject({ path: 'launch/queue.yaml', start_line: 1, title: 'run.x1' });
    expect(calls[0].body.output.title).toBe('Queue config: 120 problems');
    expect([...gh.checkRuns.values()][0]).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { annotations_count: 120 },
    });
    // Config problems touch no PR comment.
    expect(commentCalls(gh.requests)).toEqual([]);
  });

  test('file-less problems go on the workflow file when the config was inline', async () => {
    const reporter = reporterFor(recordingLogger(), { queueConfigFile: undefined });
    await reporter.configProblems([{ path: 'spec', message: 'missing' }]);
    const [create] = checkCalls(gh.requests);
    expect(create.body.output.annotations[0].path).toBe('.github/workflows/train.yml');
    expect(create.body).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });
});

describe('PR comment', () => {
  test('one comment per workflow job, found by its marker across pages and edited in place across two runs', async () => {
    // 150 comments by others (two pages of 100), one mentioning the marker mid-text, one of another job.
    const marker = commentMarker('Train', 'launch');
    gh.seedComments(
      42,
      Array.from({ length: 148 }, (_, i) => `comment ${i}`),
    );
    const quoted = gh.seedComments(42, [`> quoting ${marker} here`])[0];
    const otherJob = gh.seedComments(42, [`${commentMarker('Train', 'other-job')}\nnot ours`])[0];

    const log = recordingLogger();
    const first = reporterFor(log, {
      settings: { checkRun: false, prComment: true, jobSummary: false },
    });
    await first.submitted(report({ state: 'JOB_STATE_PENDING' }));
    await first.stateChanged(report({ state: 'JOB_STATE_RUNNING' }));
    await first.finished(report({ state: 'JOB_STATE_SUCCEEDED' }));

    // Found nowhere, so created under a lock on the pull request (after looking once more);
    // each later edit reads and writes the comment under a lock on the comment itself.
    const edit = [
      'POST /repos/octo/trainer/issues/comments/:id/reactions 201',
      'GET /repos/octo/trainer/issues/comments/:id 200',
      'PATCH /repos/octo/trainer/issues/comments/:id 200',
      'DELETE /repos/octo/trainer/issues/comments/:id/reactions/:id 204',
    ];
    expect(notChecks(gh.requests).map(shape)).toEqual([
      'GET /repos/octo/trainer/issues/42/comments 200',
      'GET /repos/octo/trainer/issues/42/comments 200',
      'POST /repos/octo/trainer/issues/42/reactions 201',
      'GET /repos/octo/trainer/issues/42/comments 200',
      'GET /repos/octo/trainer/issues/42/comments 200',
      'POST /repos/octo/trainer/issues/42/comments 201',
      'DELETE /repos/octo/trainer/issues/42/reactions/:id 204',
      ...edit,
      ...edit,
    ]);
    expect(gh.reactions.size).toBe(0);
    expect(gh.requests[1].query).toMatchObject({ per_page: '100', page: '2' });

    const second = reporterFor(log, {
      settings: { checkRun: false, prComment: true, jobSummary: false },
      run: runContext('pull_request', '7002'),
    });
    const before = gh.requests.length;
    await second.submitted(report({ jobId: '789', state: 'JOB_STATE_PENDING' }));
    await second.finished(
      report({ jobId: '789', state: 'JOB_STATE_FAILED', error: { message: 'OOM' } }),
    );
    // A comment with the marker is adopted only once its author is known to be the token's
    // user: a reaction added to the pull request (and removed) names it.
    expect(gh.requests.slice(before).map(shape)).toEqual([
      'GET /repos/octo/trainer/issues/42/comments 200',
      'GET /repos/octo/trainer/issues/42/comments 200',
      'POST /repos/octo/trainer/issues/42/reactions 201',
      'DELETE /repos/octo/trainer/issues/42/reactions/:id 204',
      ...edit,
      ...edit,
    ]);

    const ours = [...gh.comments.values()].filter((c) => c.body.startsWith(marker));
    expect(ours).toHaveLength(1);
    expect(gh.requests.filter((r) => r.route === 'createComment')).toHaveLength(1);
    // The second run's launch of the same leg replaced the first's entry.
    expect(parseComment(ours[0].body)).toHaveLength(1);
    expect(ours[0].body).toContain('❌ Failed');
    expect(ours[0].body).toContain('<code>789</code>');
    expect(ours[0].body).toContain(
      '[this workflow run](https://github.com/octo/trainer/actions/runs/7002)',
    );
    expect(gh.comments.get(quoted.id)?.body).toBe(`> quoting ${marker} here`);
    expect(gh.comments.get(otherJob.id)?.body).toContain('not ours');
    expect(log.warnings).toEqual([]);
  });

  test('a comment deleted between steps is written again', async () => {
    const reporter = reporterFor(recordingLogger(), {
      settings: { checkRun: false, prComment: true, jobSummary: false },
    });
    await reporter.submitted(report());
    gh.comments.clear();
    const before = gh.requests.length;
    await reporter.finished(report({ state: 'JOB_STATE_SUCCEEDED' }));
    // The reaction's 404 is confirmed by reading the comment before it is taken for deleted.
    expect(gh.requests.slice(before).map(shape)).toEqual([
      'POST /repos/octo/trainer/issues/comments/:id/reactions 404',
      'GET /repos/octo/trainer/issues/comments/:id 404',
      'GET /repos/octo/trainer/issues/42/comments 200',
      'POST /repos/octo/trainer/issues/42/reactions 201',
      'GET /repos/octo/trainer/issues/42/comments 200',
      'POST /repos/octo/trainer/issues/42/comments 201',
      'DELETE /repos/octo/trainer/issues/42/reactions/:id 204',
    ]);
    expect(gh.comments.size).toBe(1);
    expect([...gh.comments.values()][0].body).toContain('Succeeded');
  });
});

describe('reporting never breaks a launch', () => {
  test('everything refused with 403: all methods resolve, one warning per channel naming the permission, then silence', async () => {
    gh.refuse('all');
    const log = recordingLogger();
    const reporter = reporterFor(log);
    await expect(reporter.submitted(report())).resolves.toBeUndefined();
    await expect(
      reporter.stateChanged(report({ state: 'JOB_STATE_RUNNING' })),
    ).resolves.toBeUndefined();
    await expect(
      reporter.finished(report({ state: 'JOB_STATE_FAILED', error: { message: 'x' } })),
    ).resolves.toBeUndefined();
    await expect(reporter.configProblems([{ message: 'y' }])).resolves.toBeUndefined();

    expect(log.warnings).toHaveLength(2);
    const check = log.warnings.find((w) => w.includes('check run'));
    const comment = log.warnings.find((w) => w.includes('PR comment'));
    expect(check).toContain('`permissions: checks: write`');
    expect(check).toContain('Resource not accessible by integration');
    expect(comment).toContain('`permissions: pull-requests: write`');
    // One refused call per channel; after that the channel is off.
    expect(gh.requests.map(shape)).toEqual(
      expect.arrayContaining([
        'POST /repos/octo/trainer/check-runs 403',
        'GET /repos/octo/trainer/issues/42/comments 403',
      ]),
    );
    expect(gh.requests).toHaveLength(2);
    const everything = [...log.warnings, ...log.infos, ...log.debugs].join('\n');
    expect(everything).not.toContain(TOKEN);
  });

  test('refusing only comments leaves the check run working', async () => {
    gh.refuse(['listComments', 'createComment', 'updateComment']);
    const log = recordingLogger();
    const reporter = reporterFor(log);
    await reporter.submitted(report());
    await reporter.finished(report({ state: 'JOB_STATE_SUCCEEDED' }));
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toContain('pull-requests: write');
    expect([...gh.checkRuns.values()][0]).toMatchObject({ conclusion: 'success' });
  });

  test('502 twice is retried and goes through without a warning', async () => {
    gh.fail({ status: 502, times: 2, route: 'createCheckRun' });
    const log = recordingLogger();
    const reporter = reporterFor(log, {
      settings: { checkRun: true, prComment: false, jobSummary: false },
    });
    await reporter.submitted(report());
    expect(checkCalls(gh.requests).map((r) => r.status)).toEqual([502, 502, 201]);
    expect(gh.checkRuns.size).toBe(1);
    expect(log.warnings).toEqual([]);
    expect(log.debugs.filter((d) => d.includes('retry'))).toHaveLength(2);
  });

  test('a 502 that persists is one warning; the channel stays on and the next step creates the check run', async () => {
    gh.fail({ status: 502, times: 4 });
    const log = recordingLogger();
    const reporter = reporterFor(log, {
      settings: { checkRun: true, prComment: false, jobSummary: false },
      retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 5 },
    });
    await reporter.submitted(report());
    expect(checkCalls(gh.requests).map((r) => r.status)).toEqual([502, 502, 502, 502]);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toMatch(/^Could not create the check run: HTTP 502/);
    await reporter.finished(report({ state: 'JOB_STATE_SUCCEEDED' }));
    expect(
      checkCalls(gh.requests)
        .slice(4)
        .map((r) => [r.method, r.status, r.body.conclusion]),
    ).toEqual([['POST', 201, 'success']]);
  });

  test('429 waits as Retry-After says, bounded by maxDelayMs', async () => {
    gh.fail({ status: 429, times: 1, retryAfter: 2 });
    gh.fail({ status: 403, times: 1, retryAfter: 3600 }); // a secondary rate limit: retried, not a refusal
    const waits: number[] = [];
    const log = recordingLogger();
    const reporter = reporterFor(log, {
      settings: { checkRun: true, prComment: false, jobSummary: false },
      retry: { baseDelayMs: 1, maxDelayMs: 60_000, sleep: async (ms) => void waits.push(ms) },
    });
    await reporter.submitted(report());
    expect(waits[0]).toBe(2000);
    expect(waits[1]).toBe(60_000);
    expect(checkCalls(gh.requests).map((r) => r.status)).toEqual([429, 403, 201]);
    expect(log.warnings).toEqual([]);
  });

  test('backoff waits double from the base, each jittered within 20% of its mean', async () => {
    const run = async (random: number) => {
      gh.fail({ status: 502, times: 3 });
      const waits: number[] = [];
      const reporter = reporterFor(recordingLogger(), {
        settings: { checkRun: true, prComment: false, jobSummary: false },
        retry: {
          retries: 3,
          baseDelayMs: 100,
          maxDelayMs: 10_000,
          random: () => random,
          sleep: async (ms) => void waits.push(ms),
        },
      });
      await reporter.submitted(report());
      return waits;
    };
    expect(await run(0)).toEqual([80, 160, 320]);
    expect(await run(0.5)).toEqual([100, 200, 400]);
    const highest = await run(0.999_999);
    [120, 240, 480].forEach((ms, i) => expect(highest[i]).toBeCloseTo(ms, 2));
    expect(checkCalls(gh.requests).map((r) => r.status)).toEqual([
      ...[502, 502, 502, 201],
      ...[502, 502, 502, 201],
      ...[502, 502, 502, 201],
    ]);
  });

  test('without a token nothing is called and one warning says how to pass it', async () => {
    const log = recordingLogger();
    const reporter = reporterFor(log, { token: undefined });
    await reporter.submitted(report());
    await reporter.finished(report({ state: 'JOB_STATE_SUCCEEDED' }));
    expect(gh.requests).toEqual([]);
    expect(log.warnings).toEqual([expect.stringContaining('github-token')]);
  });

  test('an unreachable API is retried, then a warning; never a rejection', async () => {
    const log = recordingLogger();
    const url = gh.url;
    await gh.close();
    const reporter = reporterFor(log, {
      run: { ...runContext(), apiUrl: url },
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 },
    });
    await expect(reporter.submitted(report())).resolves.toBeUndefined();
    expect(log.warnings).toHaveLength(2);
    gh = await startGitHubEmulator(); // for afterEach
  });
});

describe('githubRunContextFromEnv', () => {
  test('reads the GITHUB_* variables, the event file and the workflow file path', () => {
    const run = runContext();
    expect(run).toMatchObject({
      apiUrl: gh.url,
      repository: 'octo/trainer',
      sha: PUSH_SHA,
      eventName: 'pull_request',
      eventPayload: { pull_request: { number: 42 } },
      runId: '7001',
      workflow: 'Train',
      job: 'launch',
      workflowFile: '.github/workflows/train.yml',
    });
  });

  test('a missing event file gives an empty payload; defaults for the URLs', () => {
    const run = githubRunContextFromEnv({ GITHUB_EVENT_PATH: join(dir, 'nope.json') });
    expect(run.eventPayload).toEqual({});
    expect(run.apiUrl).toBe('https://api.github.com');
    expect(run.serverUrl).toBe('https://github.com');
  });
});
