import { randomBytes } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { generateWandbRunId, wandbEnvironment, wandbRunUrl } from '../../src/core/wandb.ts';

describe('generateWandbRunId', () => {
  test('8 characters of [a-z0-9], different each time', () => {
    const ids = Array.from({ length: 200 }, () => generateWandbRunId(randomBytes));
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{8}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
  test('every byte maps into the alphabet', () => {
    expect(generateWandbRunId(() => Uint8Array.from([0, 25, 26, 35, 36, 255, 128, 71]))).toBe(
      'az09adu9',
    );
  });
});

describe('wandbEnvironment', () => {
  test('only what is given; WANDB_LAUNCH and WANDB_RUN_ID always', () => {
    expect(wandbEnvironment({}, 'abc12345')).toEqual({
      WANDB_LAUNCH: 'True',
      WANDB_RUN_ID: 'abc12345',
    });
    expect(
      wandbEnvironment(
        { project: 'p', entity: 'e', baseUrl: 'https://w.example', apiKey: 'secret' },
        'r',
      ),
    ).toEqual({
      WANDB_LAUNCH: 'True',
      WANDB_PROJECT: 'p',
      WANDB_ENTITY: 'e',
      WANDB_BASE_URL: 'https://w.example',
      WANDB_API_KEY: 'secret',
      WANDB_RUN_ID: 'r',
    });
  });
});

describe('wandbRunUrl', () => {
  test('api.wandb.ai (the default) links to wandb.ai', () => {
    expect(wandbRunUrl({ entity: 'team', project: 'proj' }, 'abcd1234')).toBe(
      'https://wandb.ai/team/proj/runs/abcd1234',
    );
    expect(
      wandbRunUrl({ entity: 'team', project: 'proj', baseUrl: 'https://api.wandb.ai/' }, 'x'),
    ).toBe('https://wandb.ai/team/proj/runs/x');
  });
  test('a dedicated server keeps its host, port and path; names are escaped', () => {
    expect(
      wandbRunUrl(
        { entity: 'team', project: 'my proj', baseUrl: 'https://wandb.corp.example:8443/wb/' },
        'r1',
      ),
    ).toBe('https://wandb.corp.example:8443/wb/team/my%20proj/runs/r1');
  });
  test('no link without entity and project, or with a base URL that is not a URL', () => {
    expect(wandbRunUrl({ project: 'p' }, 'r')).toBeUndefined();
    expect(wandbRunUrl({ entity: 'e' }, 'r')).toBeUndefined();
    expect(wandbRunUrl({ entity: 'e', project: 'p', baseUrl: 'not a url' }, 'r')).toBeUndefined();
  });
});
