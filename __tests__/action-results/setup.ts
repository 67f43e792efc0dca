// The world of the W&B results tests: the reporting world (GitHub and Vertex stand-ins, a pull
// request) plus the W&B stand-in. A job's W&B run appears in the stand-in once the Vertex
// stand-in holds a job labelled with that run id, as the training process would have made it:
// a synthetic run whose numbers depend on the run id (`trainingRun`).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startWandbEmulator, type WandbEmulator } from '../../emulators/wandb/emulator.ts';
import type { RunSeed } from '../../emulators/wandb/store.ts';
import { trainingRun } from '../../emulators/wandb/synthetic.ts';
import type { ActionResult } from '../helpers/action-runner.ts';
import {
  PR_HEAD_SHA,
  PR_NUMBER,
  startReportingWorld,
  WANDB,
  type ReportingWorld,
} from './../action-reporting/setup.ts';

export { PR_NUMBER, WANDB };
export const WANDB_KEY = 'local-5f3c9a1e7b2d4c6a8e0f1a2b3c4d5e6f7a8b9c0d';

export interface ResultsWorld extends ReportingWorld {
  wandb: WandbEmulator;
  /** How each job's run is made, by run id (default: a synthetic run). */
  runFor: (runId: string) => RunSeed | undefined;
  /** A launch on the pull request (base `main`) with the key and the W&B stand-in. */
  launchPr(
    inputs?: Record<string, string>,
    env?: Record<string, string>,
    workspace?: string,
  ): Promise<ActionResult>;
  /** Nothing recorded, no runs, and runs made for jobs again (undoes a test's `runFor`). */
  resetWandb(): void;
  /** A launch on a push to `main`. */
  launchMain(inputs?: Record<string, string>): Promise<ActionResult>;
}

/** The synthetic run of a job: quality -1 for launches from main (the PR improves on them). */
export function runOfJob(runId: string, ref: string | undefined): RunSeed {
  return trainingRun(runId, { quality: ref === 'main' ? -1 : 0 });
}

export async function startResultsWorld(): Promise<ResultsWorld> {
  const base = await startReportingWorld();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wbvl-results-'));
  const prEvent = path.join(dir, 'pr.json');
  const pushEvent = path.join(dir, 'push.json');
  await writeFile(
    prEvent,
    JSON.stringify({
      action: 'synchronize',
      number: PR_NUMBER,
      pull_request: {
        number: PR_NUMBER,
        head: { sha: PR_HEAD_SHA, ref: 'feature' },
        base: { ref: 'main' },
      },
      repository: { full_name: 'org/repo' },
    }),
  );
  await writeFile(
    pushEvent,
    JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'org/repo' } }),
  );
  const jobOfRun = (runId: string) =>
    base.vertex
      .record()
      .jobs.find(
        (j) => (j.labels as Record<string, string> | undefined)?.['wandb-run-id'] === runId,
      );
  const world = base as ResultsWorld;
  const runOfSeenJob = (runId: string) => {
    const job = jobOfRun(runId);
    return job ? runOfJob(runId, (job.labels as Record<string, string>)['github-ref']) : undefined;
  };
  world.runFor = runOfSeenJob;
  world.resetWandb = () => {
    world.wandb.reset();
    world.runFor = runOfSeenJob;
  };
  world.wandb = await startWandbEmulator({
    apiKeys: [WANDB_KEY],
    defaultEntity: WANDB.entity,
    resolveRun: (entity, project, name) =>
      entity === WANDB.entity && project === WANDB.project ? world.runFor(name) : undefined,
  });
  const withWandb = (inputs: Record<string, string>) => ({
    'wandb-api-key': WANDB_KEY,
    'wandb-base-url': world.wandb.url,
    ...inputs,
  });
  world.launchPr = (inputs = {}, env = {}, workspace) =>
    base.launch(withWandb(inputs), workspace, { GITHUB_EVENT_PATH: prEvent, ...env });
  world.launchMain = (inputs = {}) =>
    base.launch(withWandb(inputs), undefined, {
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: pushEvent,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_HEAD_REF: '',
    });
  const close = base.close.bind(base);
  world.close = async () => {
    await Promise.all([close(), world.wandb.close()]);
    await rm(dir, { recursive: true, force: true });
  };
  return world;
}

/** An address nothing listens on: a port just freed. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
