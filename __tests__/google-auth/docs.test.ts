// docs/TROUBLESHOOTING.md has a heading for every auth message title, so users can search it.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@jest/globals';
import { authFailures } from '../../src/google-auth/index.ts';
import {
  INVALID_ENDPOINT,
  INVALID_PROVIDER,
  INVALID_SERVICE_ACCOUNT,
} from '../../src/google-auth/names.ts';

test('every auth message title is a heading in docs/TROUBLESHOOTING.md', async () => {
  const doc = await readFile(new URL('../../docs/TROUBLESHOOTING.md', import.meta.url), 'utf8');
  const headings = new Set([...doc.matchAll(/^### (.+)$/gm)].map((m) => m[1]!.trim()));
  const titles = [
    ...(Object.values(authFailures) as unknown[]).filter((v): v is string => typeof v === 'string'),
    INVALID_PROVIDER,
    INVALID_SERVICE_ACCOUNT,
    INVALID_ENDPOINT,
  ];
  expect(titles.length).toBeGreaterThanOrEqual(12);
  expect(titles.filter((t) => !headings.has(t))).toEqual([]);
});
