import { describe, expect, test } from '@jest/globals';
import { formatDuration, parseDurationSeconds } from '../../src/core/duration.ts';
import { parseKeyValueLines } from '../../src/core/keyvalue.ts';

describe('parseDurationSeconds', () => {
  test.each([
    ['5h30m', 19800],
    ['90m', 5400],
    ['45s', 45],
    ['1h', 3600],
    ['1d', 86400],
    ['1.5h', 5400],
    ['3600', 3600],
    [' 2H ', 7200],
    ['0', 0],
  ])('%s = %d seconds', (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });
  test.each(['', 'soon', '1h30', '-5m', 'h', '5 h', '1.h'])('%j is not a duration', (text) => {
    expect(parseDurationSeconds(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0s'],
    [45, '45s'],
    [3600, '1h'],
    [19800, '5h30m'],
    [3661, '1h1m1s'],
    [90000, '25h'],
    [-3, '0s'],
    [59.6, '1m'],
  ])('%d seconds = %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
  test('parse(format(x)) = x', () => {
    for (const s of [1, 59, 61, 3599, 7322, 21599])
      expect(parseDurationSeconds(formatDuration(s))).toBe(s);
  });
});

describe('parseKeyValueLines', () => {
  test('one KEY=VALUE a line; blank lines and # comments skipped; the value keeps later = signs', () => {
    const text = '# training\nEPOCHS=3\r\n\n  LR = 0.1  \nQUERY=a=b&c=d\nEMPTY=\n';
    expect(parseKeyValueLines(text, 'env')).toEqual({
      values: { EPOCHS: '3', LR: '0.1', QUERY: 'a=b&c=d', EMPTY: '' },
      problems: [],
      // Each key's line, for problems about one entry found later (reserved label keys).
      lineOf: { EPOCHS: 2, LR: 4, QUERY: 5, EMPTY: 6 },
    });
  });
  test('repeated flags come as a list', () => {
    expect(parseKeyValueLines(['a=1', 'b=2'], '--var').values).toEqual({ a: '1', b: '2' });
  });
  test('a line that is not KEY=VALUE is named by number, never echoed; a key given twice is rejected', () => {
    const { values, problems } = parseKeyValueLines('A=1\nhunter2-secret\n=x\nA=2', 'env');
    expect(values).toEqual({ A: '1' });
    expect(problems).toEqual([
      { path: 'env', message: 'line 2 is not KEY=VALUE' },
      { path: 'env', message: 'line 3 is not KEY=VALUE' },
      { path: 'env', message: 'A is given twice' },
    ]);
    expect(JSON.stringify(problems)).not.toContain('hunter2');
  });
});
