// The GitHub REST emulator on its own: the standalone entry point, and the GitHub behaviours
// the reporter tests rely on (validation, authentication, pagination links).

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { startGitHubEmulator } from '../../emulators/github/emulator.ts';

const root = join(import.meta.dirname, '..', '..');

test('`node emulators/github/server.ts` prints one JSON line with its URL and serves until SIGTERM', async () => {
  const child = spawn(
    join(root, 'node_modules', '.bin', 'node'),
    [join(root, 'emulators', 'github', 'server.ts')],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    const { url } = JSON.parse(line);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/repos/o/r/issues/1/comments`, {
      headers: { authorization: 'token t' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
});

test('validates like GitHub: auth required, at most 50 annotations, completed needs a conclusion; Link pagination', async () => {
  const gh = await startGitHubEmulator();
  try {
    const post = (path: string, body: unknown, auth = true) =>
      fetch(`${gh.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(auth ? { authorization: 'token t' } : {}),
        },
        body: JSON.stringify(body),
      });
    const sha = 'c'.repeat(40);
    expect((await post('/repos/o/r/check-runs', { name: 'n', head_sha: sha }, false)).status).toBe(
      401,
    );
    const annotation = {
      path: 'a',
      start_line: 1,
      end_line: 1,
      annotation_level: 'failure',
      message: 'm',
    };
    const tooMany = await post('/repos/o/r/check-runs', {
      name: 'n',
      head_sha: sha,
      output: { title: 't', summary: 's', annotations: Array(51).fill(annotation) },
    });
    expect(tooMany.status).toBe(422);
    expect(
      (await post('/repos/o/r/check-runs', { name: 'n', head_sha: sha, status: 'completed' }))
        .status,
    ).toBe(422);

    gh.seedComments(
      5,
      Array.from({ length: 5 }, (_, i) => `c${i}`),
    );
    const page1 = await fetch(`${gh.url}/repos/o/r/issues/5/comments?per_page=2`, {
      headers: { authorization: 'token t' },
    });
    expect(((await page1.json()) as { body: string }[]).map((c) => c.body)).toEqual(['c0', 'c1']);
    expect(page1.headers.get('link')).toBe(
      `<${gh.url}/repos/o/r/issues/5/comments?per_page=2&page=2>; rel="next", <${gh.url}/repos/o/r/issues/5/comments?per_page=2&page=3>; rel="last"`,
    );
  } finally {
    await gh.close();
  }
});
