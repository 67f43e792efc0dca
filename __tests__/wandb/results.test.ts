// The W&B results service against the W&B stand-in: the baseline's jobs come from the narrow
// lister it is given (the phase builds it from the Vertex connection), and a run that is not
// there yet is read again on the sync schedule.
import { startWandbEmulator, type WandbEmulator } from '../../emulators/wandb/emulator.ts';
import type { JobSnapshot } from '../../src/core/job.ts';
import { LABEL, MANAGED_BY, repositoryLabelValue } from '../../src/core/launch-identity.ts';
import { baselineJobFilter } from '../../src/core/results/baseline.ts';
import { SYNC_RETRY_DELAYS_MS } from '../../src/core/results/sync-policy.ts';
import { jobResults, type ResultsContext } from '../../src/wandb/results.ts';
import { recordingLogger } from '../vertex/helpers.ts';

const KEY = 'local-0123456789abcdef0123456789abcdef01234567';
const PARENT = 'projects/octo-proj/locations/us-central1';
const REPOSITORY = repositoryLabelValue('octo/trainer');
const ENDED = '2026-01-01T10:00:00Z';
let wandb: WandbEmulator;

beforeAll(async () => {
  wandb = await startWandbEmulator({ apiKeys: [KEY], defaultEntity: 'octo-team' });
});
afterAll(async () => wandb?.close());
beforeEach(() => wandb.reset());

function job(id: string, runId: string, labels: Record<string, string>): JobSnapshot {
  return {
    name: `${PARENT}/customJobs/${id}`,
    id,
    displayName: 'train',
    state: 'JOB_STATE_SUCCEEDED',
    createTime: ENDED,
    endTime: ENDED,
    labels: {
      [LABEL.managedBy]: MANAGED_BY,
      [LABEL.repository]: REPOSITORY,
      [LABEL.wandbRunId]: runId,
      ...labels,
    },
    wandb: { entity: 'octo-team', project: 'vertex-runs' },
  };
}

const prJob = job('2', 'pr-run', {
  [LABEL.pr]: '42',
  [LABEL.baseRef]: 'main',
  [LABEL.ref]: 'feature',
});
const mainJob = job('1', 'main-run', { [LABEL.ref]: 'main' });

function context(overrides: Partial<ResultsContext> = {}) {
  const log = recordingLogger();
  const listed: [string, string][] = [];
  const waits: number[] = [];
  const ctx: ResultsContext = {
    settings: { apiKey: KEY, baseUrl: wandb.url, metrics: ['loss'] },
    listBaselineJobs: async (parent, filter) => {
      listed.push([parent, filter]);
      return [mainJob];
    },
    log,
    sleep: async (ms) => void waits.push(ms),
    now: () => new Date(Date.parse(ENDED) + 1_000),
    ...overrides,
  };
  return { ctx, log, listed, waits };
}

test("the base branch's newest launch, from the lister, is the baseline", async () => {
  wandb.addRun('octo-team/vertex-runs/pr-run', { state: 'finished', summary: { loss: 0.2 } });
  wandb.addRun('octo-team/vertex-runs/main-run', { state: 'finished', summary: { loss: 0.3 } });
  const { ctx, listed, waits } = context();
  const report = await jobResults(prJob, ctx);
  expect(listed).toEqual([[PARENT, baselineJobFilter(REPOSITORY, 'main')]]);
  expect(report?.baseline).toMatchObject({ path: 'octo-team/vertex-runs/main-run', label: 'main' });
  expect(report?.rows).toEqual([
    expect.objectContaining({ name: 'loss', value: 0.2, baseline: 0.3 }),
  ]);
  expect(waits).toEqual([]);
});

test('a lister that fails leaves a note and a warning; the run still reports', async () => {
  wandb.addRun('octo-team/vertex-runs/pr-run', { state: 'finished', summary: { loss: 0.2 } });
  const { ctx, log } = context({
    listBaselineJobs: async () => {
      throw new Error('ListCustomJobs: PERMISSION_DENIED');
    },
  });
  const report = await jobResults(prJob, ctx);
  expect(report?.baselineNote).toMatch(/could not be read/);
  expect(log.warnings()).toEqual([
    expect.stringContaining('the baseline could not be read: ListCustomJobs: PERMISSION_DENIED'),
  ]);
});

test('a run still syncing is read again on the sync schedule, then reported as it stands', async () => {
  wandb.addRun('octo-team/vertex-runs/pr-run', {
    state: 'finished',
    summary: { loss: 0.2 },
    runningForReads: 10,
  });
  const { ctx, log, waits } = context({ settings: { apiKey: KEY, baseUrl: wandb.url } });
  const report = await jobResults({ ...prJob, labels: { [LABEL.wandbRunId]: 'pr-run' } }, ctx);
  expect(waits).toEqual(SYNC_RETRY_DELAYS_MS);
  expect(log.infos().filter((l) => l.includes('reading it again'))).toHaveLength(3);
  expect(log.infos()[0]).toContain('the run is still running; reading it again in 5s.');
  expect(report?.notes).toEqual([
    'The W&B run was still running when read: the values may not be final.',
  ]);
});
