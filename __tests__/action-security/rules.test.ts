// The pure rules behind the security tests of the bundled action: how much of an input a
// message quotes, what a report may show of the environment, which build args are secrets, and
// which Secret Manager names wandb-api-key-secret takes.
import { describe, expect, test } from '@jest/globals';
import { secretArgsDeclared, splitBuildArgs } from '../../src/core/image/secret-build-args.ts';
import { cutShort, QUOTE_LIMIT, quoted } from '../../src/core/quote.ts';
import { redactForReport, redactSecrets } from '../../src/core/redact.ts';
import { parseSecretVersion, wandbEnvironment } from '../../src/core/wandb.ts';

describe('quoting input', () => {
  test('a long value is cut at the limit with an ellipsis; a short one is kept whole', () => {
    const long = 'A'.repeat(QUOTE_LIMIT) + 'SECRET-TAIL';
    expect(quoted(long)).toBe(`"${'A'.repeat(QUOTE_LIMIT)}…"`);
    expect(quoted('us-central1')).toBe('"us-central1"');
  });
  test('line breaks are escaped, so a quote never starts a line of its own', () => {
    expect(quoted('a\n::error::x')).toBe('"a\\n::error::x"');
  });
  test('cutting never splits a character made of two UTF-16 units', () => {
    expect(cutShort('😀😀😀', 2)).toBe('😀😀…');
  });
});

describe('reports show environment names only', () => {
  const request = {
    customJob: {
      jobSpec: {
        workerPoolSpecs: [
          {
            containerSpec: {
              args: ['--token=tok-12345'],
              env: [
                { name: 'DATA_PASSWD', value: 'hunter2-value' },
                { name: 'EPOCHS', value: '3' },
              ],
            },
          },
        ],
      },
    },
  };
  test('every env value hidden, whatever its name; known secrets gone from other strings', () => {
    const shown = redactForReport(request, ['tok-12345']);
    const pool = shown.customJob.jobSpec.workerPoolSpecs[0].containerSpec;
    expect(pool.env).toEqual([
      { name: 'DATA_PASSWD', value: '***' },
      { name: 'EPOCHS', value: '***' },
    ]);
    expect(pool.args).toEqual(['--token=***']);
  });
  test('the name rule alone (the request file) would have shown DATA_PASSWD', () => {
    const file = redactSecrets(request);
    expect(JSON.stringify(file)).toContain('hunter2-value');
  });
});

describe('secret build args', () => {
  test('split by the secret-name rule', () => {
    expect(splitBuildArgs({ STAGE: 'prod', HF_TOKEN: 't', pip_index_password: 'p' })).toEqual({
      plain: { STAGE: 'prod' },
      secret: { HF_TOKEN: 't', pip_index_password: 'p' },
    });
  });
  test('an ARG that still declares a secret is found, in any case of ARG, with or without default', () => {
    const dockerfile = 'FROM x\narg HF_TOKEN\nARG API_KEY=none\nARG HF_TOKEN_B\nRUN echo\n';
    expect(secretArgsDeclared(dockerfile, ['HF_TOKEN', 'API_KEY', 'OTHER_SECRET'])).toEqual([
      'HF_TOKEN',
      'API_KEY',
    ]);
  });
});

describe('wandb-api-key-secret', () => {
  test.each([
    ['projects/p-1/secrets/wandb', 'projects/p-1/secrets/wandb/versions/latest'],
    ['projects/123/secrets/wandb_key/versions/7', 'projects/123/secrets/wandb_key/versions/7'],
  ])('%s is a secret version', (text, full) => {
    expect(parseSecretVersion(text)).toBe(full);
  });
  test.each(['wandb', 'projects/p/secrets/', 'projects/p/secrets/a/b', 'gs://x'])(
    '%s is not',
    (text) => {
      expect(parseSecretVersion(text)).toBeUndefined();
    },
  );
  test('the job gets the reference instead of the key', () => {
    const env = wandbEnvironment(
      { apiKey: 'k'.repeat(40), apiKeySecret: 'projects/p/secrets/w/versions/latest' },
      'run1',
    );
    expect(env).toEqual({
      WANDB_API_KEY_SECRET: 'projects/p/secrets/w/versions/latest',
      WANDB_LAUNCH: 'True',
      WANDB_RUN_ID: 'run1',
    });
    expect(env).not.toHaveProperty('WANDB_API_KEY');
  });
});
