// What one agent pass shares across its items: the W&B client, the GitHub run, and the slow
// things done once and only when an item needs them (credentials, a Vertex connection per
// region, each W&B job's wandb-job.json).
import type { LaunchContext, WandbJobPath } from '../../context.ts';
import type { QueueName } from '../../core/wandb-launch/queue-config.ts';
import type { JobResult } from '../../core/wandb-launch/job.ts';
import type { GitHubRunInfo } from '../../core/queue-config/template-values.ts';
import { jobPathText } from '../../core/wandb-launch/job.ts';
import type { Logger } from '../../core/log.ts';
import { githubRunInfoFromEnv } from '../../github/run-info.ts';
import { actionLog } from '../../github/runtime.ts';
import type { GoogleCredentials } from '../../google-auth/index.ts';
import { connectVertex, type VertexConnection } from '../../vertex/index.ts';
import { loadWandbJob, type WandbClient } from '../../wandb/index.ts';
import { authenticate } from '../auth.ts';
import { launchClient } from '../wandb-launch.ts';

export interface AgentPass {
  ctx: LaunchContext;
  log: Logger;
  env: NodeJS.ProcessEnv;
  queue: QueueName;
  client: WandbClient;
  github: GitHubRunInfo;
  /** undefined: no credentials needed (a plaintext local endpoint and a known project). */
  credentials(): Promise<GoogleCredentials | undefined>;
  vertex(region: string, project: string): Promise<VertexConnection>;
  job(path: WandbJobPath): Promise<JobResult>;
  close(): Promise<void>;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

export function startPass(ctx: LaunchContext, env: NodeJS.ProcessEnv): AgentPass {
  const queue = ctx.wandbLaunch.queue!; // the input reader requires it with agent: true
  const client = launchClient(ctx);
  const credentials = once(() => authenticate(ctx, ctx.region, ctx.project, false, env));
  const connections = new Map<string, Promise<VertexConnection>>();
  const jobs = new Map<string, Promise<JobResult>>();
  return {
    ctx,
    log: actionLog,
    env,
    queue,
    client,
    github: githubRunInfoFromEnv(env),
    credentials,
    async vertex(region, project) {
      const auth = (await credentials())?.authClient;
      let connection = connections.get(region);
      if (!connection) {
        connection = connectVertex({
          region,
          endpoint: ctx.vertexEndpoint,
          authClient: auth,
          projectId: project,
          universe: ctx.auth.universe,
        });
        connections.set(region, connection);
      }
      return connection;
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
