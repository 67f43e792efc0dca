// The capacity matchers take only Vertex AI's own capacity sentences with code 8, and the
// region plan tries each usable region once, in order.
import { describe, expect, test } from '@jest/globals';
import {
  attemptsLine,
  capacityEndMessage,
  nextRegion,
  parseFallbackRegions,
  planRegions,
} from '../../src/core/attempts.ts';
import { capacityOfCreateError, capacityOfJobError, isRateLimit } from '../../src/core/capacity.ts';
import type { Problem } from '../../src/core/errors.ts';

const STOCKOUT =
  'Resources are insufficient in region: us-central1. Please try a different region.';
const GPU_QUOTA =
  'The following quota metrics exceed quota limits: aiplatform.googleapis.com/custom_model_training_nvidia_l4_gpus';

describe('job errors', () => {
  test('a stockout in the job region is capacity, with or without trailing advice', () => {
    expect(capacityOfJobError({ code: 8, message: STOCKOUT }, 'us-central1')).toEqual({
      kind: 'stockout',
      region: 'us-central1',
      message: STOCKOUT,
    });
    const longer = `${STOCKOUT} If you use K80, please consider using another accelerator type.`;
    // Only the matched sentence is kept: the rest is not Vertex's to vouch for.
    expect(capacityOfJobError({ code: 8, message: longer }, 'us-central1')?.message).toBe(STOCKOUT);
  });

  test('a regional training quota ending the job is capacity', () => {
    expect(capacityOfJobError({ code: 8, message: GPU_QUOTA }, 'us-east4')?.kind).toBe('quota');
  });

  test.each([
    ['another code with the same words', { code: 3, message: STOCKOUT }, 'us-central1'],
    ['a stockout naming another region', { code: 8, message: STOCKOUT }, 'us-east4'],
    [
      'a training crash',
      {
        code: 3,
        message: 'The replica workerpool0-0 exited with a non-zero status of 1.',
      },
      'us-central1',
    ],
    ['a cancel', { code: 1, message: 'CANCELED' }, 'us-central1'],
    [
      'a timeout',
      { code: 4, message: 'The job could not start within its maximum wait duration.' },
      'us-central1',
    ],
    [
      'code 8 written by the training code',
      {
        code: 8,
        message: 'CUDA out of memory. Resources are insufficient in region: us-central1.',
      },
      'us-central1',
    ],
    [
      'a quota sentence naming a non-training metric',
      {
        code: 8,
        message:
          'The following quota metrics exceed quota limits: aiplatform.googleapis.com/online_prediction_requests',
      },
      'us-central1',
    ],
    ['no error', undefined, 'us-central1'],
  ])('%s is not capacity', (_what, error, region) => {
    expect(capacityOfJobError(error, region)).toBeUndefined();
  });
});

describe('Create errors', () => {
  test('a regional training quota refusal is capacity; several training metrics too', () => {
    expect(capacityOfCreateError(8, GPU_QUOTA)).toEqual({ kind: 'quota', message: GPU_QUOTA });
    const two = `${GPU_QUOTA}, aiplatform.googleapis.com/custom_model_training_cpus`;
    expect(capacityOfCreateError(8, two)?.kind).toBe('quota');
  });

  test('a rate limit is no capacity failure but a retry in place', () => {
    const rate =
      "Quota exceeded for quota metric 'Resource management (CRUD) requests' and limit " +
      "'Resource management (CRUD) requests per minute per region' of service 'aiplatform.googleapis.com'";
    expect(capacityOfCreateError(8, rate)).toBeUndefined();
    expect(isRateLimit(8, rate)).toBe(true);
    expect(isRateLimit(8, 'Resource has been exhausted (e.g. check quota).')).toBe(true);
    expect(isRateLimit(8, GPU_QUOTA)).toBe(false);
    expect(isRateLimit(14, rate)).toBe(false);
  });

  test('other refusals are neither', () => {
    expect(capacityOfCreateError(3, GPU_QUOTA)).toBeUndefined();
    expect(capacityOfCreateError(8, 'Request contains an invalid argument.')).toBeUndefined();
  });
});

describe('the region plan', () => {
  test('the input: commas or lines, duplicates once, bad names located', () => {
    const problems: Problem[] = [];
    expect(parseFallbackRegions('us-east4, europe-west4\nus-east4\n\n', problems)).toEqual([
      'us-east4',
      'europe-west4',
    ]);
    expect(problems).toEqual([]);
    parseFallbackRegions('us-east4, Europe West, global', problems);
    expect(problems.map((p) => p.path)).toEqual(['fallback-regions', 'fallback-regions']);
    expect(problems[0].message).toContain('"Europe West"');
  });

  test('the job region first, each usable region once, unusable ones never', () => {
    const plan = planRegions(
      'us-central1',
      ['us-east4', 'us-central1', 'asia-east1', 'europe-west4'],
      [{ region: 'asia-east1', reasons: ['the image is in us'] }],
    );
    expect(plan.regions).toEqual(['us-central1', 'us-east4', 'europe-west4']);
    const at = (n: number) =>
      plan.regions.slice(0, n).map((region) => ({ region, startTime: '', outcome: 'stockout' }));
    expect(nextRegion(plan, at(1))).toBe('us-east4');
    expect(nextRegion(plan, at(2))).toBe('europe-west4');
    expect(nextRegion(plan, at(3))).toBeUndefined();
  });

  test('the closing messages name capacity, the input, every attempt and the regions not tried', () => {
    const failure = { kind: 'stockout' as const, region: 'us-central1', message: STOCKOUT };
    const alone = planRegions('us-central1', []);
    const first = [{ region: 'us-central1', startTime: '', outcome: 'stockout' }];
    const message = capacityEndMessage(alone, first, failure, false);
    expect(message).toMatch(/no capacity/);
    expect(message).toContain('`fallback-regions`');

    const plan = planRegions(
      'us-central1',
      ['us-east4', 'asia-east1'],
      [{ region: 'asia-east1', reasons: ['the image is in us'] }],
    );
    const all = [...first, { region: 'us-east4', startTime: '', outcome: 'quota-at-create' }];
    expect(attemptsLine(all)).toBe('us-central1 (stockout), us-east4 (quota refused at Create)');
    const end = capacityEndMessage(plan, all, failure, true);
    expect(end).toContain('us-central1 (stockout), us-east4 (quota refused at Create)');
    expect(end).toContain('asia-east1: the image is in us');
  });
});
