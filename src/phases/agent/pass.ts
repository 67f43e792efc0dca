// What one agent pass shares across its items: the W&B client, the GitHub run, and the slow
// things done once and only when an item needs them (credentials, a Vertex connection per
// region, each W&B job's wandb-job.json).
import { openVertex } from '../../cloud/connect.ts';
import type { LaunchContext, WandbJobPath } from '../../context.ts';
import type { QueueName } from '../../core/wandb-launch/queue-config.ts';
import type { JobResult } from '../../core/wandb-launch/job.ts';
import type { GitHubRunInfo } from '../../core/queue-config/template-values.ts';
import { jobPathText } from '../../core/wandb-launch/job.ts';
import type { Logger } from '../../core/log.ts';
import { githubRunInfoFromEnv } from '../../github/run-info.ts';
import { actionLog, printUntrusted, setSecret } from '../../github/runtime.ts';
import type { GoogleCredentials } from '../../google-auth/index.ts';
import type { VertexConnection } from '../../vertex/index.ts';
import { loadWandbJob, type WandbClient } from '../../wandb/index.ts';
import { authenticate } from '../auth.ts';
import { launchClient } from '../wandb-launch.ts';

/** Where a pass meets its runner: the action's step, or the command line. */
export interface AgentIo {
  log: Logger;
  /** Hides a secret from everything printed from then on. */
  mask(value: string): void;
  /** Lines with text someone else wrote (item names, Vertex's reasons), commands off. */
  printUntrusted(lines: string[]): void;
  /** The Google credentials; undefined when none are needed (a plaintext local endpoint). */
  credentials(): Promise<GoogleCredentials | undefined>;
}

export interface AgentPass {
  ctx: LaunchContext;
  io: AgentIo;
  log: Logger;
  env: NodeJS.ProcessEnv;
  queue: QueueName;
  client: WandbClient;
  github: GitHubRunInfo;
  /** undefined: no credentials needed (a plaintext local endpoint and a known project). */
  credentials(): Promise<GoogleCredentials | undefined>;
  vertex(region: string, project: string): Promise<VertexConnection>;
  /**
   * Starts what the first launch will need (credentials, the Vertex client for the `region`
   * input) while its item is acked and compiled. Its failures surface at that launch.
   */
  warmUp(): void;
  job(path: WandbJobPath): Promise<JobResult>;
  close(): Promise<void>;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

/** The action's step: its log, masks and credentials. */
export function actionIo(ctx: LaunchContext, env: NodeJS.ProcessEnv): AgentIo {
  return {
    log: actionLog,
    mask: setSecret,
    printUntrusted,
    credentials: () => authenticate(ctx, ctx.region, ctx.project, false, env),
  };
}

export function startPass(ctx: LaunchContext, env: NodeJS.ProcessEnv, io: AgentIo): AgentPass {
  const queue = ctx.wandbLaunch.queue!; // the input reader requires it with agent: true
  const client = launchClient(ctx);
  const credentials = once(() => io.credentials());
  const connections = new Map<string, Promise<VertexConnection>>();
  const jobs = new Map<string, Promise<JobResult>>();
  return {
    ctx,
    io,
    log: io.log,
    env,
    queue,
    client,
    github: githubRunInfoFromEnv(env),
    credentials,
    async vertex(region, project) {
      const resolved = await credentials();
      let connection = connections.get(region);
      if (!connection) {
        connection = openVertex({ ...ctx, region, project }, resolved);
        connections.set(region, connection);
      }
      return connection;
    },
    warmUp() {
      if (!ctx.region) return;
      credentials()
        .then((c) => {
          const project = ctx.project ?? c?.projectId;
          return project ? this.vertex(ctx.region, project) : undefined;
        })
        .catch(() => undefined);
    },
    job(path) {
      const key = jobPathText(path);
      let job = jobs.get(key);
      if (!job) {
        job = loadWandbJob(client, path);
        jobs.set(key, job);
      }
      return job;
    },
    async close() {
      const open = await Promise.allSettled(connections.values());
      await Promise.all(open.map((c) => (c.status === 'fulfilled' ? c.value.close() : undefined)));
    },
  };
}
