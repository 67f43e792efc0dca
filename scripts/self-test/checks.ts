// What the self-test asserts about each run of the action: the step's outcome and outputs, the
// request file, and what the Vertex emulator saw. Pure: the command in ../self-test.ts gathers
// the facts and prints the verdicts.
import { existsSync, readFileSync } from 'node:fs';

/** `toJSON(steps.ID)` of a workflow step. */
export interface StepResult {
  outcome: string;
  conclusion: string;
  outputs: Record<string, string>;
}

/** The emulator's GET /record, in part. */
export interface EmulatorRecord {
  jobsCreated: number;
  calls: { method: string }[];
  jobs: { name: string; state: string; labels?: Record<string, string> }[];
}

export interface Expected {
  project: string;
  region: string;
  image: string;
}

export interface Verdict {
  ok: boolean;
  what: string;
  /** What was found instead, when not ok. */
  got?: string;
}

export type Case = 'succeeded' | 'failed' | 'dry-run';
export const CASES: readonly Case[] = ['succeeded', 'failed', 'dry-run'];

function is(what: string, actual: unknown, expected: unknown): Verdict {
  return actual === expected
    ? { ok: true, what }
    : { ok: false, what, got: JSON.stringify(actual) };
}

function matches(what: string, actual: string | undefined, pattern: RegExp): Verdict {
  return actual !== undefined && pattern.test(actual)
    ? { ok: true, what }
    : { ok: false, what, got: JSON.stringify(actual) };
}

function requestFileChecks(file: string | undefined, expected: Expected): Verdict[] {
  if (!file || !existsSync(file)) {
    return [{ ok: false, what: 'request-file names a file', got: JSON.stringify(file) }];
  }
  const request = JSON.parse(readFileSync(file, 'utf8')) as {
    parent?: string;
    customJob?: { jobSpec?: { workerPoolSpecs?: { containerSpec?: { imageUri?: string } }[] } };
  };
  return [
    { ok: true, what: 'request-file names a file' },
    is(
      'the request goes to the project and region',
      request.parent,
      `projects/${expected.project}/locations/${expected.region}`,
    ),
    is(
      'the request runs the image input',
      request.customJob?.jobSpec?.workerPoolSpecs?.[0]?.containerSpec?.imageUri,
      expected.image,
    ),
  ];
}

/** A launched job: its outputs agree with each other and with the emulator's job. */
function launchedJobChecks(
  step: StepResult,
  record: EmulatorRecord,
  expected: Expected,
  state: string,
): Verdict[] {
  const o = step.outputs;
  const name = new RegExp(
    `^projects/${expected.project}/locations/${expected.region}/customJobs/(\\d+)$`,
  );
  const id = name.exec(o['job-name'] ?? '')?.[1];
  const job = record.jobs.find((j) => j.name === o['job-name']);
  return [
    matches('job-name is the CustomJob resource name', o['job-name'], name),
    is('job-id is the id in job-name', o['job-id'], id),
    is(`job-state is ${state}`, o['job-state'], state),
    is(
      'job-url is the console link',
      o['job-url'],
      `https://console.cloud.google.com/vertex-ai/locations/${expected.region}/training/${id}?project=${expected.project}`,
    ),
    is('image-uri is the image input', o['image-uri'], expected.image),
    is('the emulator holds the job, in that state', job?.state, state),
    is('the job carries the managed-by label', job?.labels?.['managed-by'], 'wb-vertex-launch'),
    ...requestFileChecks(o['request-file'], expected),
  ];
}

export function check(
  which: Case,
  step: StepResult,
  record: EmulatorRecord,
  expected: Expected,
  jobsCreated: number,
): Verdict[] {
  const created = is(
    `the emulator created ${jobsCreated} job(s) so far`,
    record.jobsCreated,
    jobsCreated,
  );
  switch (which) {
    case 'succeeded':
      return [
        is('the step succeeded', step.outcome, 'success'),
        ...launchedJobChecks(step, record, expected, 'JOB_STATE_SUCCEEDED'),
        created,
      ];
    case 'failed':
      return [
        is('the step failed', step.outcome, 'failure'),
        ...launchedJobChecks(step, record, expected, 'JOB_STATE_FAILED'),
        created,
      ];
    case 'dry-run':
      return [
        is('the step succeeded', step.outcome, 'success'),
        is('no job-name: nothing was submitted', step.outputs['job-name'] ?? '', ''),
        ...requestFileChecks(step.outputs['request-file'], expected),
        created,
      ];
  }
}
