import { describe, expect, test } from '@jest/globals';
import { checkLabels, labelProblem, MAX_LABELS, toLabelValue } from '../../src/core/labels.ts';

describe('labelProblem', () => {
  test.each([
    ['team', 'vision'],
    ['a', ''],
    ['k'.repeat(63), 'v'.repeat(63)],
    ['x_y-9', '0_a-b'],
  ])('%s=%s is valid', (key, value) => {
    expect(labelProblem(key, value)).toBeUndefined();
  });

  test.each([
    ['Team', 'x', 'label key "Team"'],
    ['9lives', 'x', 'starting with a lowercase letter'],
    ['', 'x', 'label key ""'],
    ['k'.repeat(64), 'x', 'must be 1-63 characters'],
    ['my.key', 'x', 'label key "my.key"'],
    ['team', 'Vision', 'label value "Vision"'],
    ['team', 'a b', 'label value "a b"'],
    ['team', 'v'.repeat(64), 'at most 63 characters'],
  ])('%s=%s is invalid', (key, value, message) => {
    expect(labelProblem(key, value)).toContain(message);
  });
});

describe('checkLabels', () => {
  test('each bad label at its own path, and the count', () => {
    const labels = Object.fromEntries(
      Array.from({ length: MAX_LABELS + 1 }, (_, i) => [`l${i}`, 'v']),
    );
    labels.Bad = 'x';
    const problems = checkLabels(labels, (k) => `spec.labels.${k}`, 'spec.labels');
    expect(problems).toEqual([
      { path: 'spec.labels.Bad', message: expect.stringContaining('label key "Bad"') },
      { path: 'spec.labels', message: '66 labels, but Vertex allows at most 64' },
    ]);
    expect(checkLabels({ a: 'b' }, () => 'labels', 'labels')).toEqual([]);
  });
});

describe('toLabelValue', () => {
  test('lowercases, replaces other characters with -, and keeps at most 63', () => {
    expect(toLabelValue('Octo/Trainer v1.2')).toBe('octo-trainer-v1-2');
    expect(toLabelValue('A'.repeat(80))).toBe('a'.repeat(63));
    expect(labelProblem('k', toLabelValue('Ünïcode + spaces/'.repeat(9)))).toBeUndefined();
  });
});
