import {
  batches,
  checkRunConclusion,
  checkRunOutput,
  configProblemsOutput,
  jobErrorAnnotations,
  loggingUrl,
  jobConsoleUrl,
  poolsOf,
  problemAnnotations,
  renderSummaryMarkdown,
  SUMMARY_MAX_BYTES,
  utf8Length,
  truncateUtf8,
  type LaunchReport,
} from '../../src/core/report/index.ts';
import { fenced, formatDuration, link } from '../../src/core/report/format.ts';
import { cells, report, request } from './fixtures.ts';

function tableRows(md: string): string[] {
  return md.split('\n').filter((l) => l.startsWith('|'));
}

describe('poolsOf', () => {
  test('summarises each pool, keeps placeholders in place, reads int64 strings and python-package images', () => {
    expect(poolsOf(request)).toEqual([
      {
        machineType: 'n1-standard-8',
        acceleratorType: 'NVIDIA_TESLA_T4',
        acceleratorCount: 2,
        replicaCount: 1,
        image: 'us-docker.pkg.dev/p/r/train@sha256:abc',
      },
      { placeholder: true },
      {
        machineType: 'n1-highmem-4',
        replicaCount: 3,
        image: 'us-docker.pkg.dev/vertex-ai/training/pytorch:latest',
      },
    ]);
  });

  test('a request without pools gives none', () => {
    expect(
      poolsOf({ parent: 'p', customJob: { displayName: 'x', labels: {}, jobSpec: {} } }),
    ).toEqual([]);
  });
});

describe('links', () => {
  test('loggingUrl filters on the ml_job resource and the job id', () => {
    const url = new URL(loggingUrl('my-proj', 'us-central1', '456'));
    expect(url.origin).toBe('https://console.cloud.google.com');
    expect(url.searchParams.get('project')).toBe('my-proj');
    const query = decodeURIComponent(url.pathname.split(';query=')[1]);
    expect(query).toBe('resource.type="ml_job"\nresource.labels.job_id="456"');
  });

  test('jobConsoleUrl is the training page of the job', () => {
    expect(jobConsoleUrl('p', 'europe-west4', '99')).toBe(
      'https://console.cloud.google.com/vertex-ai/locations/europe-west4/training/99?project=p',
    );
  });

  test('link drops non-http URLs and encodes characters that would end the URL early', () => {
    expect(link('x', 'javascript:alert(1)')).toBe('x');
    expect(link('logs', 'https://a/b (c)|d')).toBe('[logs](https://a/b%20%28c%29%7Cd)');
  });
});

describe('renderSummaryMarkdown', () => {
  test('shows job, state, duration, region, pools, digest, links and the request folded away', () => {
    // Machine types carry word joiners (they never wrap); the text is what is compared.
    const md = renderSummaryMarkdown(
      report({
        state: 'JOB_STATE_SUCCEEDED',
        startTime: '2025-01-01T10:01:00Z',
        endTime: '2025-01-01T11:03:05.5Z',
        pools: poolsOf(request),
      }),
    ).replaceAll('\u2060', '');
    expect(md).toContain('### Vertex AI job: train-resnet');
    expect(md).toContain('✅ Succeeded in 1h 2m 6s');
    expect(md).toContain(
      '| Job | [<code>456</code>](https://console.cloud.google.com/vertex-ai/locations/us-central1/training/456?project=my-proj) |',
    );
    expect(md).toContain('| State | Succeeded (<code>JOB\\_STATE\\_SUCCEEDED</code>) |');
    expect(md).toContain('| Duration | 1h 2m 6s |');
    expect(md).toContain('| Region | <code>us-central1</code> |');
    expect(md).toContain('| Image digest | <code>sha256:abc</code> |');
    expect(md).toContain('[W&amp;B run](https://wandb.ai/ent/proj/runs/abc123)');
    expect(md).toContain(
      '| 0 | <code>n1-standard-8</code> | <code>NVIDIA\\_TESLA\\_T4</code> × 2 | 1 |',
    );
    expect(md).toContain('| 1 | _placeholder `{}`: no replicas_ | — | 0 | — |');
    expect(md).toContain('| 2 | <code>n1-highmem-4</code> | — | 3 |');
    expect(md).toMatch(
      /<details><summary>Resolved request<\/summary>\n\n```json\n\{\n {2}"parent"/,
    );
    expect(md.trimEnd().endsWith('</details>')).toBe(true);
    // Every table row has exactly its columns.
    for (const row of tableRows(md)) expect([2, 5]).toContain(cells(row).length);
  });

  test('user-controlled text cannot break a table, inject HTML or mention anyone', () => {
    const md = renderSummaryMarkdown(
      report({
        title: 'a | b <script>alert(1)</script> @octocat\nnext',
        imageUri: 'img|x`y',
        pools: [{ machineType: 'm|1', image: '<b>' }],
      }),
    );
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<b>');
    expect(md).not.toMatch(/@octocat/);
    expect(md).toContain('@\u200boctocat');
    const rows = tableRows(md);
    const display = rows.find((r) => r.startsWith('| Display name'));
    expect(display && cells(display)).toHaveLength(2);
    expect(display).toContain(
      'a \\| b &lt;script&gt;alert(1)&lt;/script&gt; @\u200boctocat<br>next',
    );
    const image = rows.find((r) => r.startsWith('| Image |'));
    expect(image && cells(image)).toHaveLength(2);
    const pool = rows.find((r) => r.startsWith('| 0 |'));
    expect(pool && cells(pool)).toHaveLength(5);
  });

  test('the error goes in a fence the message cannot close', () => {
    const md = renderSummaryMarkdown(
      report({
        state: 'JOB_STATE_FAILED',
        error: { code: 3, message: 'bad ``` thing\n# not a heading' },
      }),
    );
    expect(md).toContain('**Error** (code 3):\n\n````\nbad ``` thing\n# not a heading\n````');
  });

  test('a huge request is truncated so the summary stays under 1 MiB, with a note and closed blocks', () => {
    const big = JSON.stringify({ ticks: '`````', blob: 'é'.repeat(700_000) });
    const md = renderSummaryMarkdown(report({ requestJson: big }));
    expect(utf8Length(md)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(utf8Length(md)).toBeGreaterThan(SUMMARY_MAX_BYTES - 4096);
    // Boolean checks: a failure message should not print a megabyte.
    expect(/_Truncated: \d+ of 1400027 bytes shown\./.test(md)).toBe(true);
    expect(md.includes('``````json\n{"ticks":"`````","blob":"ééé')).toBe(true);
    expect(
      /é\n``````\n\n_Truncated: \d+ of 1400027 bytes shown\. .*_\n\n<\/details>\n$/.test(md),
    ).toBe(true);
    expect(md.includes('\uFFFD')).toBe(false);
  });

  test('maxBytes bounds the whole summary; a request that does not fit at all is left out', () => {
    const md = renderSummaryMarkdown(report({ requestJson: 'x'.repeat(10_000) }), {
      maxBytes: 3000,
    });
    expect(utf8Length(md)).toBeLessThanOrEqual(3000);
    expect(md).toContain('Truncated');
    const tiny = renderSummaryMarkdown(report({ requestJson: 'x'.repeat(10_000) }), {
      maxBytes: 500,
    });
    expect(tiny).not.toContain('<details>');
  });

  test('a running job shows its duration so far; a dry run says nothing was submitted', () => {
    const running = renderSummaryMarkdown(
      report({ state: 'JOB_STATE_RUNNING', startTime: '2025-01-01T10:00:00Z', waiting: true }),
      {
        now: new Date('2025-01-01T10:04:30Z'),
      },
    );
    expect(running).toContain('🔄 Running');
    expect(running).toContain('| Duration | 4m 30s so far |');
    const dry = renderSummaryMarkdown(report({ dryRun: true, jobId: undefined, state: undefined }));
    expect(dry).toContain('Dry run: request resolved, nothing submitted');
    expect(dry).toContain('| Job | _dry run: not submitted_ |');
  });
});

describe('checkRunConclusion', () => {
  const cases: [Partial<LaunchReport>, string][] = [
    [{ state: 'JOB_STATE_SUCCEEDED' }, 'success'],
    [{ state: 'JOB_STATE_FAILED', error: { message: 'x' } }, 'failure'],
    [{ state: 'JOB_STATE_CANCELLED' }, 'cancelled'],
    [{ state: 'JOB_STATE_EXPIRED' }, 'timed_out'],
    [{ state: 'JOB_STATE_RUNNING', waitTimedOut: true }, 'timed_out'],
    [{ dryRun: true, state: undefined }, 'neutral'],
    [{ state: 'JOB_STATE_PENDING', waiting: false }, 'neutral'],
    [{ state: undefined, error: { message: 'create failed' } }, 'failure'],
    [{ state: 'JOB_STATE_SUCCEEDED', outcome: 'failure' }, 'failure'],
  ];
  test.each(cases)('%j -> %s', (overrides, expected) => {
    expect(checkRunConclusion(report(overrides))).toBe(expected);
  });
});

describe('checkRunOutput', () => {
  test('title is the headline, summary holds the error first, then the details table', () => {
    const out = checkRunOutput(
      report({
        state: 'JOB_STATE_FAILED',
        startTime: '2025-01-01T10:00:00Z',
        endTime: '2025-01-01T10:00:42Z',
        error: { code: 13, message: 'Replica workerpool0-0 exited with a non-zero status of 1.' },
      }),
    );
    expect(out.title).toBe('❌ Failed after 42s');
    expect(out.summary).toContain('| State | Failed (<code>JOB\\_STATE\\_FAILED</code>) |');
    expect(out.summary).toContain('| Pool | Machine | Accelerators | Replicas | Image |');
    expect(out.summary).toContain('Replica workerpool0-0 exited with a non-zero status of 1.');
    expect(out.summary).toContain('(code 13)');
    expect(out.summary.indexOf('(code 13)')).toBeLessThan(out.summary.indexOf('| State |'));
  });

  test('stays within 65535 characters with a huge request and error', () => {
    const out = checkRunOutput(
      report({ error: { message: 'e'.repeat(100_000) }, requestJson: 'r'.repeat(200_000) }),
    );
    expect(out.summary.length).toBeLessThanOrEqual(65535);
    expect(out.text!.length).toBeLessThanOrEqual(65535);
    expect(out.summary).toContain('(error message truncated)');
  });
});

describe('annotations', () => {
  test('problems go on their file and line; file-less ones on the fallback path, line 1', () => {
    const anns = problemAnnotations(
      [
        {
          file: 'launch/queue.yaml',
          line: 7,
          column: 5,
          path: 'spec.worker_pool_specs[0].machine_spec.machine_type',
          message: 'missing',
        },
        { path: 'run.timeout', message: 'must be a number' },
      ],
      '.github/workflows/train.yml',
    );
    expect(anns).toEqual([
      {
        path: 'launch/queue.yaml',
        start_line: 7,
        end_line: 7,
        start_column: 5,
        end_column: 5,
        annotation_level: 'failure',
        title: 'spec.worker_pool_specs[0].machine_spec.machine_type',
        message: 'missing',
      },
      {
        path: '.github/workflows/train.yml',
        start_line: 1,
        end_line: 1,
        annotation_level: 'failure',
        title: 'run.timeout',
        message: 'must be a number',
      },
    ]);
  });

  test('a failed job gets one annotation with Vertex’s message; a job without error none', () => {
    const [a] = jobErrorAnnotations(
      report({ state: 'JOB_STATE_FAILED', error: { code: 3, message: 'quota exceeded' } }),
      'q.yaml',
    );
    expect(a).toMatchObject({
      path: 'q.yaml',
      annotation_level: 'failure',
      message: 'quota exceeded',
      title: 'Vertex AI job 456 failed (code 3)',
    });
    expect(jobErrorAnnotations(report(), 'q.yaml')).toEqual([]);
  });

  test('batches of at most 50', () => {
    expect(batches(Array.from({ length: 120 }, (_, i) => i)).map((b) => b.length)).toEqual([
      50, 50, 20,
    ]);
    expect(batches([])).toEqual([[]]);
  });

  test('config problems output lists every problem, escaped', () => {
    const out = configProblemsOutput([
      { file: 'q.yaml', line: 2, path: 'spec.x', message: 'bad | value' },
    ]);
    expect(out.title).toBe('Queue config: 1 problem');
    expect(out.summary).toContain(
      '| <code>q.yaml:2</code> | <code>spec.x</code> | bad \\| value |',
    );
    expect(out.text).toBe('```\nq.yaml:2: spec.x: bad | value\n```');
  });
});

describe('format helpers', () => {
  test('truncateUtf8 never splits a character', () => {
    expect(truncateUtf8('aé😀', 2)).toBe('a');
    expect(truncateUtf8('aé😀', 3)).toBe('aé');
    expect(truncateUtf8('aé😀', 6)).toBe('aé');
    expect(truncateUtf8('aé😀', 7)).toBe('aé😀');
  });

  test('fences outgrow backtick runs; durations read naturally', () => {
    expect(fenced('a ```` b')).toBe('`````\na ```` b\n`````');
    expect(formatDuration(3_723_000)).toBe('1h 2m 3s');
    expect(formatDuration(59_400)).toBe('59s');
  });
});
