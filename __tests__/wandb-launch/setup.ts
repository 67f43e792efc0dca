// The world of the W&B Launch tests of the bundled action: the W&B stand-in holding a Vertex
// queue (`octo-team/vertex-queue`), the Vertex stand-in (fast ticks) and the GitHub REST
// stand-in, with a scheduled workflow run by default (check runs on GITHUB_SHA, no PR).
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/emulator.ts';
import { startVertexEmulator, type VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { startWandbEmulator, type WandbEmulator } from '../../emulators/wandb/emulator.ts';
import type { QueueSeed } from '../../emulators/wandb/queues.ts';
import { runAction, type ActionResult } from '../helpers/action-runner.ts';

export const WANDB_KEY = 'local-9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c';
export const ITEM_KEY = 'local-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
export const ENTITY = 'octo-team';
export const QUEUE = 'octo-team/vertex-queue';
export const PROJECT = 'my-proj-1';
export const REGION = 'us-central1';
export const JOB_IMAGE = 'us-docker.pkg.dev/my-proj-1/r/trainer@sha256:' + 'ab'.repeat(32);

/** A Vertex queue config as the W&B App stores it, with two template variables. */
export const QUEUE_CONFIG = {
  spec: {
    worker_pool_specs: [
      {
        machine_spec: {
          machine_type: '{{machine_type}}',
          accelerator_type: 'NVIDIA_TESLA_T4',
          accelerator_count: '{{gpu_count}}',
        },
        replica_count: 1,
        container_spec: { image_uri: '${image_uri}' },
      },
    ],
    staging_bucket: 'gs://octo-staging',
  },
  run: { restart_job_on_worker_restart: false },
};

export const TEMPLATED_QUEUE: QueueSeed = {
  config: QUEUE_CONFIG,
  templateVariables: {
    gpu_count: { schema: { type: 'integer', minimum: 1, maximum: 4, default: 1 } },
    machine_type: { schema: { type: 'string', enum: ['n1-standard-4', 'n1-standard-8'] } },
  },
};

export interface LaunchWorld {
  wandb: WandbEmulator;
  vertex: VertexEmulator;
  github: GitHubEmulator;
  /** The main step with the W&B, Vertex and GitHub stand-ins wired in, these inputs on top. */
  run(inputs: Record<string, string>, env?: Record<string, string>): Promise<ActionResult>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startLaunchWorld(): Promise<LaunchWorld> {
  const [wandb, vertex, github] = await Promise.all([
    startWandbEmulator({ apiKeys: [WANDB_KEY, ITEM_KEY], defaultEntity: ENTITY }),
    startVertexEmulator({ tickMs: 60 }),
    startGitHubEmulator(),
  ]);
  const world: LaunchWorld = {
    wandb,
    vertex,
    github,
    run: (inputs, env = {}) =>
      runAction({
        inputs: {
          project: PROJECT,
          region: REGION,
          'vertex-endpoint': `http://${vertex.grpcAddress}`,
          'wandb-api-key': WANDB_KEY,
          'wandb-base-url': wandb.url,
          'wandb-entity': ENTITY,
          'wandb-project': 'vertex-runs',
          preflight: 'false',
          ...inputs,
        },
        env: {
          GITHUB_API_URL: world.github.url,
          GITHUB_EVENT_NAME: 'schedule',
          WB_VERTEX_LAUNCH_TIME_SCALE: '0.002',
          ...env,
        },
        timeoutMs: 40_000,
      }),
    async reset() {
      wandb.reset();
      vertex.reset();
      await world.github.close();
      world.github = await startGitHubEmulator();
    },
    async close() {
      await Promise.all([wandb.close(), vertex.stop(), world.github.close()]);
    },
  };
  return world;
}

/** The CreateCustomJob requests the Vertex stand-in received, in order. */
export function creates(vertex: VertexEmulator): Record<string, unknown>[] {
  return vertex
    .record()
    .calls.filter((c) => c.method === 'CreateCustomJob')
    .map((c) => c.request);
}

/** A pool's environment as a map. */
export function envOf(pool: Record<string, unknown>): Record<string, string> {
  const spec = pool.containerSpec as { env?: { name: string; value: string }[] } | undefined;
  return Object.fromEntries((spec?.env ?? []).map((e) => [e.name, e.value]));
}

/** The first worker pool of a Create request. */
export function firstPool(request: Record<string, unknown>): Record<string, unknown> {
  const job = request.customJob as { jobSpec: { workerPoolSpecs: Record<string, unknown>[] } };
  return job.jobSpec.workerPoolSpecs[0];
}

/** The step's `::error` lines, unescaped. */
export function errorText(result: ActionResult): string {
  return result.errors.map((l) => l.replace(/%0A/g, '\n').replace(/%25/g, '%')).join('\n');
}
