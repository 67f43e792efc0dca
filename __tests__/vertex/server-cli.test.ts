// The emulator as the README demo and the bundle tests run it: a separate process started
// with `node emulators/vertex/server.ts`, announcing its addresses on one JSON line.

import { afterAll, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { connectVertex, followCustomJob, submitCustomJob } from '../../src/vertex/index.ts';
import { launchLabel, recordingLogger, request, TIME_SCALE } from './helpers.ts';

const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

function start(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['emulators/vertex/server.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  return line;
}

test('serves on the announced port, takes scenarios over HTTP, stops cleanly on SIGTERM', async () => {
  const child = start([
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--tick-ms',
    '20',
    '--scenario',
    'succeed',
  ]);
  const announced = JSON.parse(await firstLine(child)) as {
    grpc: string;
    admin: string;
    tls: boolean;
  };
  expect(announced).toEqual({
    grpc: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    admin: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    tls: false,
  });
  const queued = await fetch(`${announced.admin}/scenarios`, {
    method: 'POST',
    body: JSON.stringify({ scenarios: ['fail'] }),
  });
  expect(queued.status).toBe(200);

  const conn = await connectVertex({
    region: 'us-central1',
    endpoint: `http://${announced.grpc}`,
    projectId: 'demo-project',
    timeScale: TIME_SCALE,
  });
  try {
    const { job } = await submitCustomJob(conn, request(), {
      launchLabel: launchLabel(),
      log: recordingLogger(),
    });
    const { job: final } = await followCustomJob(conn, job.name, {
      timeoutSeconds: 10,
      log: recordingLogger(),
    });
    expect(final.state).toBe('JOB_STATE_FAILED');
  } finally {
    await conn.close();
  }
  const record = (await (await fetch(`${announced.admin}/record`)).json()) as {
    jobsCreated: number;
  };
  expect(record.jobsCreated).toBe(1);

  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  expect(code).toBe(0);
});

test('a bad flag or scenario exits 2 with the usage and the known scenarios', async () => {
  const child = start(['--scenario', 'explode']);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = await once(child, 'exit');
  expect(code).toBe(2);
  expect(stderr).toContain('unknown scenario "explode"');
  expect(stderr).toContain('create-response-lost');
});
