// The world of a bundled-action run on a pull request: the GitHub REST stand-in behind
// GITHUB_API_URL (driven by the action's real Octokit), a pull_request event payload whose
// head commit differs from GITHUB_SHA (as on a merge-ref checkout), and a fast plaintext
// Vertex emulator. The launch uses a prebuilt image, so no credentials are involved.
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  startGitHubEmulator,
  type GitHubEmulator,
  type RecordedRequest,
  type RouteName,
} from '../../emulators/github/emulator.ts';
import { startVertexEmulator, type VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { runAction, type ActionResult } from '../helpers/action-runner.ts';

export const PR_NUMBER = 17;
/** The PR's head commit: check runs belong here, not on GITHUB_SHA (the merge commit). */
export const PR_HEAD_SHA = 'feedfacefeedfacefeedfacefeedfacefeedface';
export const WANDB = { entity: 'octo-team', project: 'vertex-runs' };

export interface ReportingWorld {
  vertex: VertexEmulator;
  github: GitHubEmulator;
  /** Runs the main step on the pull request with these inputs (and environment) over the defaults. */
  launch(
    inputs?: Record<string, string>,
    workspace?: string,
    env?: Record<string, string>,
  ): Promise<ActionResult>;
  /** A fresh GitHub stand-in (nothing recorded, nothing refused). */
  resetGitHub(): Promise<void>;
  close(): Promise<void>;
}

export async function startReportingWorld(): Promise<ReportingWorld> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wbvl-event-'));
  const eventPath = path.join(dir, 'event.json');
  await writeFile(
    eventPath,
    JSON.stringify({
      action: 'synchronize',
      number: PR_NUMBER,
      pull_request: { number: PR_NUMBER, head: { sha: PR_HEAD_SHA, ref: 'feature' } },
      repository: { full_name: 'org/repo' },
    }),
  );
  const vertex = await startVertexEmulator({ tickMs: 60 });
  const world: ReportingWorld = {
    vertex,
    github: await startGitHubEmulator(),
    launch: (inputs = {}, workspace, env = {}) =>
      runAction({
        inputs: {
          'queue-config': 'examples/queue-config.yaml',
          project: 'my-proj-1',
          region: 'us-central1',
          image: 'us-docker.pkg.dev/my-proj-1/r/trainer:1',
          'vertex-endpoint': `http://${vertex.grpcAddress}`,
          'wandb-entity': WANDB.entity,
          'wandb-project': WANDB.project,
          ...inputs,
        },
        env: {
          GITHUB_API_URL: world.github.url,
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: eventPath,
          GITHUB_REF: `refs/pull/${PR_NUMBER}/merge`,
          GITHUB_HEAD_REF: 'feature',
          WB_VERTEX_LAUNCH_TIME_SCALE: '0.002',
          ...env,
        },
        workspace,
      }),
    async resetGitHub() {
      await world.github.close();
      world.github = await startGitHubEmulator();
    },
    async close() {
      await Promise.all([world.github.close(), vertex.stop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/**
 * One world for the calling suite: started before its tests, closed after them, and reset
 * (Vertex emulator, a fresh GitHub stand-in) before each, so that no test sees another's jobs
 * or requests. The object forwards to the world once started.
 */
export function useReportingWorld(): ReportingWorld {
  let started: ReportingWorld | undefined;
  const world = () => {
    if (!started) throw new Error('the reporting world is used before beforeAll started it');
    return started;
  };
  beforeAll(async () => {
    started = await startReportingWorld();
  });
  afterAll(async () => {
    await started?.close();
  });
  beforeEach(async () => {
    world().vertex.reset();
    await world().resetGitHub();
  });
  return {
    get vertex() {
      return world().vertex;
    },
    get github() {
      return world().github;
    },
    launch: (...args) => world().launch(...args),
    resetGitHub: () => world().resetGitHub(),
    close: () => world().close(),
  };
}

/** The recorded requests of these routes, in order. */
export function requestsOf(github: GitHubEmulator, ...routes: RouteName[]): RecordedRequest[] {
  return github.requests.filter((r) => r.route !== undefined && routes.includes(r.route));
}

/** `::warning::` lines of a step's log, unescaped. */
export function warnings(result: ActionResult): string[] {
  return result.stdout
    .split('\n')
    .filter((l) => l.startsWith('::warning'))
    .map((l) => l.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'));
}
