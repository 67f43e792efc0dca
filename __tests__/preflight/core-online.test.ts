// The online half of preflight as pure functions: the bucket location rule, what to check,
// and what the answers of Cloud Storage and IAM mean (a 403 on the check itself is a warning).
import { describe, expect, test } from '@jest/globals';
import { resolveHttpEndpoint } from '../../src/core/http-endpoint.ts';
import {
  actAsFindings,
  bucketFindings,
  bucketLocationProblem,
  bucketOf,
  bucketTargets,
  preflightErrorText,
  projectOfServiceAccount,
  renderPreflightMarkdown,
  serviceAccountTarget,
  type BucketTarget,
  type Outcome,
} from '../../src/core/preflight/index.ts';

const who = {
  description: 'the credentials (ci@p-123456.iam.gserviceaccount.com)',
  member: 'serviceAccount:ci@p-123456.iam.gserviceaccount.com',
};

describe("bucketLocationProblem: a single region, the job's own", () => {
  test.each([
    [{ location: 'US-CENTRAL1', locationType: 'region' }],
    [{ location: 'us-central1', locationType: 'region' }],
    [{ location: 'US-CENTRAL1' }],
  ])('%j suits us-central1', (where) => {
    expect(bucketLocationProblem('b', where, 'us-central1')).toBeUndefined();
  });

  test.each([
    [{ location: 'US', locationType: 'multi-region' }, 'multi-region US'],
    [{ location: 'NAM4', locationType: 'dual-region' }, 'dual-region NAM4'],
    [{ location: 'US-CENTRAL1+US-EAST1', locationType: 'dual-region' }, 'dual-region'],
    [{ location: 'EUROPE-WEST4', locationType: 'region' }, 'europe-west4'],
    [{ location: 'EU' }, 'not in a single region'],
  ])('%j does not', (where, says) => {
    const problem = bucketLocationProblem('b', where, 'us-central1');
    expect(problem).toContain(says);
    expect(problem).toContain('--location=us-central1');
  });

  test('bucketOf', () => {
    expect(bucketOf('gs://b/some/dir')).toBe('b');
    expect(bucketOf('gs://b')).toBe('b');
    expect(bucketOf('b')).toBe('b');
  });
});

describe('what to check', () => {
  test('one bucket when the outputs go under the staging bucket', () => {
    expect(bucketTargets('gs://stage', 'gs://stage/aiplatform-custom-job-x')).toEqual([
      { bucket: 'stage', path: 'spec.staging_bucket', usedByJob: true },
    ]);
  });

  test('both when base_output_dir is another bucket; the staging bucket is then unused', () => {
    expect(bucketTargets('gs://stage', 'gs://out/dir')).toEqual([
      { bucket: 'out', path: 'spec.base_output_dir', usedByJob: true },
      { bucket: 'stage', path: 'spec.staging_bucket', usedByJob: false },
    ]);
  });

  test('the project of a service account comes from its e-mail, else `-`', () => {
    expect(projectOfServiceAccount('trainer@my-proj-1.iam.gserviceaccount.com')).toBe('my-proj-1');
    expect(projectOfServiceAccount('my-proj-1@appspot.gserviceaccount.com')).toBe('my-proj-1');
    expect(serviceAccountTarget('123-compute@developer.gserviceaccount.com')?.project).toBe('-');
    expect(serviceAccountTarget(undefined)).toBeUndefined();
  });
});

describe('bucketFindings', () => {
  const target: BucketTarget = { bucket: 'stage', path: 'spec.staging_bucket', usedByJob: true };
  const here: Outcome<{ location: string; locationType: string }> = {
    ok: true,
    value: { location: 'US-CENTRAL1', locationType: 'region' },
  };
  const canWrite: Outcome<string[]> = { ok: true, value: ['storage.objects.create'] };

  test('exists, in region, writable: passed', () => {
    const r = bucketFindings(target, 'us-central1', here, canWrite, who);
    expect(r.findings).toEqual([]);
    expect(r.passed[0]).toContain('gs://stage');
  });

  test('missing: one error', () => {
    const gone = {
      ok: false as const,
      status: 404,
      message: 'The specified bucket does not exist.',
    };
    const r = bucketFindings(target, 'us-central1', gone, gone, who);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ level: 'error', path: 'spec.staging_bucket' });
    expect(r.findings[0].message).toContain('gs://stage does not exist');
  });

  test('not writable: an error naming the role and the member', () => {
    const r = bucketFindings(target, 'us-central1', here, { ok: true, value: [] }, who);
    expect(r.findings[0].level).toBe('error');
    expect(r.findings[0].message).toContain('roles/storage.objectCreator');
    expect(r.findings[0].message).toContain('--member=serviceAccount:ci@p-123456');
  });

  test('403 reading the bucket: a warning, and writing is still checked', () => {
    const r = bucketFindings(
      target,
      'us-central1',
      { ok: false, status: 403, message: 'no storage.buckets.get' },
      canWrite,
      who,
    );
    expect(r.findings.map((f) => f.level)).toEqual(['warning']);
    expect(r.findings[0].message).toContain('may not make this check (403');
  });

  test('an unused staging bucket only warns', () => {
    const gone = { ok: false as const, status: 404, message: 'x' };
    const r = bucketFindings({ ...target, usedByJob: false }, 'us-central1', gone, gone, who);
    expect(r.findings[0].level).toBe('warning');
    expect(r.findings[0].message).toContain('does not write here');
  });
});

describe('actAsFindings', () => {
  const sa = serviceAccountTarget('trainer@my-proj-1.iam.gserviceaccount.com')!;

  test('granted: passed', () => {
    const r = actAsFindings(sa, { ok: true, value: ['iam.serviceAccounts.actAs'] }, who);
    expect(r.findings).toEqual([]);
    expect(r.passed).toHaveLength(1);
  });

  test('denied: an error naming roles/iam.serviceAccountUser on the account', () => {
    const [f] = actAsFindings(sa, { ok: true, value: [] }, who).findings;
    expect(f).toMatchObject({ level: 'error', path: 'run.service_account' });
    expect(f.message).toContain(
      'roles/iam.serviceAccountUser on trainer@my-proj-1.iam.gserviceaccount.com',
    );
    expect(f.message).toContain('add-iam-policy-binding trainer@my-proj-1.iam.gserviceaccount.com');
  });

  test('no such account: an error', () => {
    const [f] = actAsFindings(sa, { ok: false, status: 404, message: 'Unknown' }, who).findings;
    expect(f.level).toBe('error');
    expect(f.message).toContain('does not exist in project my-proj-1');
  });

  test('403 on the check: a warning', () => {
    const [f] = actAsFindings(sa, { ok: false, status: 403, message: 'denied' }, who).findings;
    expect(f.level).toBe('warning');
  });

  test('unreachable IAM: a warning', () => {
    const [f] = actAsFindings(sa, { ok: false, message: 'ECONNREFUSED' }, who).findings;
    expect(f.level).toBe('warning');
    expect(f.message).toContain('ECONNREFUSED');
  });
});

test('rendering: a table of findings with file lines, passed checks, and the error text', () => {
  const report = {
    findings: [
      {
        check: 'bucket' as const,
        level: 'error' as const,
        path: 'spec.staging_bucket',
        message: 'gs://x does not exist',
      },
      {
        check: 'region' as const,
        level: 'warning' as const,
        path: 'region',
        message: 'unknown | region',
      },
    ],
    passed: ['pool 0: n1-standard-4'],
    skipped: [],
  };
  const located = [
    {
      level: 'error' as const,
      path: 'spec.staging_bucket',
      message: 'gs://x does not exist',
      file: 'q.yaml',
      line: 9,
      column: 3,
    },
    { level: 'warning' as const, path: 'region', message: 'unknown | region' },
  ];
  const md = renderPreflightMarkdown(report, located, 12.4);
  expect(md).toContain('### Preflight: ❌ 1 problem: nothing was built or submitted (12 ms)');
  expect(md).toContain('<code>q.yaml:9</code>');
  expect(md).toContain('unknown \\| region');
  expect(md).toContain('- ✅ pool 0: n1-standard-4');
  expect(preflightErrorText(located)).toBe(
    'Preflight found 1 problem; nothing was built or submitted.\nq.yaml:9:3: spec.staging_bucket: gs://x does not exist',
  );
});

describe('resolveHttpEndpoint', () => {
  test.each([
    [undefined, 'https://storage.googleapis.com', true],
    ['storage.example.com', 'https://storage.example.com', true],
    ['https://10.0.0.5:8443/', 'https://10.0.0.5:8443', true],
    ['http://127.0.0.1:9023', 'http://127.0.0.1:9023', false],
  ])('%s', (value, baseUrl, tls) => {
    expect(resolveHttpEndpoint('storage-endpoint', value, 'storage.googleapis.com')).toMatchObject({
      baseUrl,
      tls,
    });
  });

  test.each([
    ['http://127.0.0.1', 'explicit port'],
    ['ftp://h:1', 'scheme'],
    ['https://h/storage/v1', 'path'],
    ['https://h:99999', 'port number'],
  ])('%s is refused, naming the input', (value, why) => {
    expect(() => resolveHttpEndpoint('iam-endpoint', value, 'iam.googleapis.com')).toThrow(
      new RegExp(`iam-endpoint .*${why}`),
    );
  });
});
