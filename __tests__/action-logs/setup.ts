// The world of a bundled-action run that reads the job's logs: the GitHub REST stand-in and a
// pull_request event (for the check run and comment), the Vertex emulator, and the Cloud
// Logging emulator behind a plaintext logging-endpoint. Log scripts are bound to the job as
// the emulator first sees its id, so their times count from about when the job was created.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/emulator.ts';
import { startLoggingEmulator, type LoggingEmulator } from '../../emulators/logging/emulator.ts';
import { startVertexEmulator, type VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { runAction, type ActionResult, type ActionRunOptions } from '../helpers/action-runner.ts';

export const PR_NUMBER = 23;
/** Vertex: RUNNING 2 ticks after creation, ended after 4. */
export const TICK_MS = 250;
/** Logs read every 120 ms, lines held 30-80 ms, drained for at most 450 ms. */
export const TIME_SCALE = '0.01';

export interface LogsWorld {
  vertex: VertexEmulator;
  logging: LoggingEmulator;
  github: GitHubEmulator;
  /** `run`: more environment (merged), an echo of the step log as it comes. */
  launch(
    inputs?: Record<string, string>,
    run?: { env?: Record<string, string>; echo?: ActionRunOptions['echo'] },
  ): Promise<ActionResult>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startLogsWorld(): Promise<LogsWorld> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wbvl-logs-event-'));
  const eventPath = path.join(dir, 'event.json');
  await writeFile(
    eventPath,
    JSON.stringify({
      action: 'synchronize',
      number: PR_NUMBER,
      pull_request: { number: PR_NUMBER, head: { sha: 'c0ffee'.padEnd(40, '0'), ref: 'feature' } },
      repository: { full_name: 'org/repo' },
    }),
  );
  const world: LogsWorld = {
    vertex: await startVertexEmulator({ tickMs: TICK_MS }),
    logging: await startLoggingEmulator(),
    github: await startGitHubEmulator(),
    launch: (inputs = {}, run = {}) =>
      runAction({
        inputs: {
          'queue-config': 'examples/queue-config.yaml',
          project: 'my-proj-1',
          region: 'us-central1',
          image: 'us-docker.pkg.dev/my-proj-1/r/trainer:1',
          'vertex-endpoint': `http://${world.vertex.grpcAddress}`,
          'logging-endpoint': `http://${world.logging.grpcAddress}`,
          'pr-comment': 'true',
          ...inputs,
        },
        env: {
          GITHUB_API_URL: world.github.url,
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: eventPath,
          GITHUB_REF: `refs/pull/${PR_NUMBER}/merge`,
          WB_VERTEX_LAUNCH_TIME_SCALE: TIME_SCALE,
          ...run.env,
        },
        timeoutMs: 40_000,
        ...(run.echo ? { echo: run.echo } : {}),
      }),
    async reset() {
      world.vertex.reset();
      world.logging.reset();
      await world.github.close();
      world.github = await startGitHubEmulator();
    },
    async close() {
      await Promise.all([world.github.close(), world.vertex.stop(), world.logging.stop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/** The step log's lines between `::stop-commands::T` and `::T::`, with the markers. */
export function untrustedBlocks(stdout: string): { lines: string[]; closed: boolean }[] {
  const blocks: { lines: string[]; closed: boolean }[] = [];
  let token: string | undefined;
  for (const line of stdout.split('\n')) {
    const start = /^::stop-commands::(.+)$/.exec(line);
    if (!token && start) {
      token = start[1];
      blocks.push({ lines: [], closed: false });
    } else if (token && line === `::${token}::`) {
      blocks[blocks.length - 1].closed = true;
      token = undefined;
    } else if (token) blocks[blocks.length - 1].lines.push(line);
  }
  return blocks;
}
