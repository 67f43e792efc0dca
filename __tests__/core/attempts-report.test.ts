// Every attempt in the reports (summary, check run, PR comment), and a FLEX_START job's wait.
import { describe, expect, test } from '@jest/globals';
import {
  attemptsSection,
  capacityWaitNote,
  capacityWaitOf,
  forAttempt,
} from '../../src/core/report/attempts.ts';
import {
  checkRunOutput,
  commentEntry,
  renderSummaryMarkdown,
  type LaunchReport,
} from '../../src/core/report/index.ts';

const JOB = (region: string, id: string) =>
  `projects/p-123456/locations/${region}/customJobs/${id}`;

function report(extra: Partial<LaunchReport> = {}): LaunchReport {
  return {
    title: 'train',
    project: 'p-123456',
    region: 'us-west1',
    pools: [],
    links: {},
    dryRun: false,
    ...extra,
  };
}

const moved = report({
  jobName: JOB('us-west1', '3'),
  jobId: '3',
  state: 'JOB_STATE_RUNNING',
  createTime: '2026-01-01T00:02:00Z',
  attempts: [
    {
      region: 'us-central1',
      jobName: JOB('us-central1', '1'),
      startTime: '2026-01-01T00:00:00Z',
      endTime: '2026-01-01T00:01:30Z',
      outcome: 'stockout',
    },
    {
      region: 'us-east4',
      startTime: '2026-01-01T00:01:31Z',
      endTime: '2026-01-01T00:01:32Z',
      outcome: 'quota-at-create',
    },
    { region: 'us-west1', startTime: '2026-01-01T00:01:33Z' },
  ],
});

describe('the attempts table', () => {
  test('one row per region: job link, outcome, duration; the live one from the report', () => {
    const table = attemptsSection(moved, new Date('2026-01-01T00:03:33Z'));
    const rows = table.split('\n').filter((l) => /^\| \d/.test(l));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('us-central1');
    expect(rows[0]).toContain('/locations/us-central1/training/1?project=p-123456');
    expect(rows[0]).toMatch(/Stockout.*\| 1m 30s \|$/);
    expect(rows[1]).toMatch(/us-east4.*\| — \| 🚫 Create refused: regional quota \| 1s \|$/);
    expect(rows[2]).toMatch(/us-west1.*Running \| 2m 0s \|$/);
  });

  test('a launch that ran where it began shows no table', () => {
    const single = report({
      attempts: [{ region: 'us-west1', startTime: '2026-01-01T00:00:00Z' }],
    });
    expect(attemptsSection(single)).toBe('');
    expect(attemptsSection(report())).toBe('');
  });

  test('each channel shows it: summary, check run, PR comment entry', () => {
    expect(renderSummaryMarkdown(moved)).toContain('**Regions tried**');
    expect(checkRunOutput(moved).summary).toContain('**Regions tried**');
    const entry = commentEntry(moved, { key: 'leg' }, { id: '1', attempt: 1 });
    expect(entry.body).toContain('**Regions tried**');
  });

  test('a new attempt leaves the previous job behind', () => {
    const next = { ...moved, ...forAttempt(moved, 'europe-west4', moved.attempts!) };
    expect(next.region).toBe('europe-west4');
    expect(next.jobName).toBeUndefined();
    expect(next.state).toBeUndefined();
    expect(next.links.console).toBeUndefined();
  });
});

describe('FLEX_START', () => {
  const flex = (maxWaitDuration?: string) => ({
    parent: 'projects/p/locations/us-central1',
    customJob: {
      displayName: 'x',
      labels: {},
      jobSpec: {
        scheduling: { strategy: 'FLEX_START', ...(maxWaitDuration ? { maxWaitDuration } : {}) },
      },
    },
  });

  test('the wait comes from the request: max_wait_duration, Vertex default 24 h, 0 = no limit', () => {
    expect(capacityWaitOf(flex('7200s'))).toEqual({ maxWaitSeconds: 7200 });
    expect(capacityWaitOf(flex())).toEqual({ maxWaitSeconds: 86400 });
    expect(capacityWaitOf(flex('0s'))).toEqual({ maxWaitSeconds: 0 });
    const spot = flex('7200s');
    (spot.customJob.jobSpec.scheduling as { strategy: string }).strategy = 'SPOT';
    expect(capacityWaitOf(spot)).toBeUndefined();
  });

  test('while pending, the report says it waits for capacity and how long is left', () => {
    const waiting = report({
      state: 'JOB_STATE_PENDING',
      createTime: '2026-01-01T00:00:00Z',
      capacityWait: { maxWaitSeconds: 7200 },
    });
    const note = capacityWaitNote(waiting, new Date('2026-01-01T00:30:00Z'));
    expect(note).toMatch(/Waiting for capacity \(FLEX_START\): 1h 30m(?: 0s)? left/);
    expect(renderSummaryMarkdown(waiting, { now: new Date('2026-01-01T00:30:00Z') })).toContain(
      'Waiting for capacity',
    );
    expect(capacityWaitNote({ ...waiting, state: 'JOB_STATE_RUNNING' }, new Date())).toBe('');
    expect(
      capacityWaitNote({ ...waiting, capacityWait: { maxWaitSeconds: 0 } }, new Date()),
    ).toMatch(/no max_wait_duration/);
  });
});
