import { describe, expect, test } from '@jest/globals';
import { isSecretName, REDACTED, redactSecrets } from '../../src/core/redact.ts';

describe('isSecretName', () => {
  test.each(['WANDB_API_KEY', 'HF_TOKEN', 'aws_secret_access_key', 'DB_PASSWORD', 'client_secret'])(
    '%s is secret',
    (name) => {
      expect(isSecretName(name)).toBe(true);
    },
  );
  test.each(['WANDB_PROJECT', 'EPOCHS', 'LR', 'PATH'])('%s is not', (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});

describe('redactSecrets', () => {
  test('env entries with secret names become *** whatever their value', () => {
    const request = {
      pools: [
        {
          env: [
            { name: 'WANDB_API_KEY', value: 'x' },
            { name: 'HF_TOKEN', value: 'hf_abc' },
            { name: 'LR', value: '0.1' },
          ],
        },
      ],
    };
    expect(redactSecrets(request)).toEqual({
      pools: [
        {
          env: [
            { name: 'WANDB_API_KEY', value: REDACTED },
            { name: 'HF_TOKEN', value: REDACTED },
            { name: 'LR', value: '0.1' },
          ],
        },
      ],
    });
  });

  test('secret values are replaced anywhere: strings, lists, inside longer text, and map keys', () => {
    const secret = 'sk-live-0123456789';
    const value = {
      args: [`--key=${secret}`, 'plain'],
      nested: { note: `a ${secret} b ${secret}` },
      labels: { [secret]: 'v' },
    };
    const redacted = redactSecrets(value, [secret]);
    expect(redacted).toEqual({
      args: ['--key=***', 'plain'],
      nested: { note: 'a *** b ***' },
      labels: { [REDACTED]: 'v' },
    });
    expect(JSON.stringify(redacted)).not.toContain(secret);
  });

  test('a secret that contains another is replaced whole', () => {
    const redacted = redactSecrets({ s: 'token=abcdefgh12345678' }, [
      'abcdefgh',
      'abcdefgh12345678',
    ]);
    expect(redacted).toEqual({ s: 'token=***' });
  });

  test('the input is not changed; non-strings and very short values stay', () => {
    const value = { n: 1, b: true, z: null, s: 'abc' };
    const copy = structuredClone(value);
    expect(redactSecrets(value, ['abc', ''])).toEqual(value);
    expect(value).toEqual(copy);
    const env = { name: 'API_KEY', value: 'v' };
    redactSecrets(env);
    expect(env.value).toBe('v');
  });
});
