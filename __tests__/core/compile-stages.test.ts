// The compiler's stages on their own: what each one takes, returns and reports.
import { expect, test } from '@jest/globals';
import type { PathProblem } from '../../src/core/queue-config/convert.ts';
import { assembleStage } from '../../src/core/queue-config/stage-assemble.ts';
import { checkStage } from '../../src/core/queue-config/stage-check.ts';
import { parseStage } from '../../src/core/queue-config/stage-parse.ts';
import type { QueueConfigDocument } from '../../src/core/queue-config/stage-parse.ts';
import { resolveStage } from '../../src/core/queue-config/stage-resolve.ts';
import { config, options, pool } from './compile-helpers.ts';

function parsed(text: string): QueueConfigDocument {
  const result = parseStage({ text, origin: 'queue.yaml' });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.document;
}

test('parse stops at a document of the wrong shape, located in the file', () => {
  const result = parseStage({ text: 'spec: [1]\nextra: 1\n', origin: 'queue.yaml' });
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.problems.map((p) => [p.path, p.line])).toEqual([
    ['spec', 1],
    ['extra', 2],
  ]);
});

test('check reads the document as written: keys and placeholders, never template values', () => {
  const document = parsed(
    'spec:\n  staging_bucket: <REQUIRED>\n  workerPoolSpecs: []\nrun:\n  timeout: ${undefined_name}\n',
  );
  const out: PathProblem[] = [];
  checkStage(document, out);
  expect(out.map((p) => p.path)).toEqual(['spec.workerPoolSpecs', 'spec.staging_bucket']);
});

test('resolve substitutes templates before it reads the target project', () => {
  const document = parsed('spec:\n  project: ${gcp_project}\n  staging_bucket: gs://b\n');
  const out: PathProblem[] = [];
  const resolved = resolveStage(
    document,
    options(config(), { vars: { gcp_project: 'other-project-9' } }),
    out,
  );
  expect(out).toEqual([]);
  expect(resolved.target).toEqual({ project: 'other-project-9', region: 'us-central1' });
  expect([...resolved.usedTemplates]).toEqual(['gcp_project']);
});

test("assemble maps resolved values onto the CustomJob; the input's labels win, the action's are its own", () => {
  const opts = options(config(), { labels: { team: 'input' } });
  const document = parsed(JSON.stringify(config({ labels: { team: 'config' } })));
  const out: PathProblem[] = [];
  const resolved = resolveStage(document, opts, out);
  const job = assembleStage(resolved, opts, { 'managed-by': 'wb-vertex-launch' }, out);
  expect(out).toEqual([]);
  expect(job.customJob.labels).toEqual({ team: 'input', 'managed-by': 'wb-vertex-launch' });
  expect(job.pools).toHaveLength(1);
  expect(job.customJob.jobSpec.workerPoolSpecs).toBe(job.pools);

  // A provenance label from the config is a problem; the action's value stays in any case.
  const forged = parsed(JSON.stringify(config({ labels: { 'managed-by': 'me' } })));
  const problems: PathProblem[] = [];
  const again = assembleStage(
    resolveStage(forged, opts, problems),
    opts,
    job.customJob.labels,
    problems,
  );
  expect(problems.map((p) => p.path)).toEqual(['spec.labels.managed-by']);
  expect(again.customJob.labels['managed-by']).toBe('wb-vertex-launch');
});

test('assemble reports every bad value, not the first', () => {
  const opts = options(config(), { env: { 'BAD-NAME': 'x' } });
  const document = parsed(
    JSON.stringify(
      config({ worker_pool_specs: [pool()], staging_bucket: 5, encryption_spec_key_name: 7 }),
    ),
  );
  const out: PathProblem[] = [];
  assembleStage(resolveStage(document, opts, out), opts, {}, out);
  expect(out.map((p) => p.path)).toEqual([
    'env',
    'spec.staging_bucket',
    'spec.encryption_spec_key_name',
  ]);
});
