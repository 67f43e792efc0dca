// What a Kaniko build needs: the build inputs, where the build job runs and as whom, where the
// context goes, and the hooks of the step running it (log, groups, state for the post step).
import type { BuildSettings } from '../context.ts';
import type { JobSnapshot } from '../core/job.ts';
import type { ContextStore } from '../core/image/context-store.ts';
import type { Logger } from '../core/log.ts';
import type { GitHubRunInfo } from '../core/queue-config/template-values.ts';
import type { StorageSettings } from '../storage/client.ts';
import type { VertexConnection } from '../vertex/index.ts';
import type { JobPhase } from '../vertex/lifecycle.ts';

/** The build job's log entries in the step log while it is followed (Cloud Logging). */
export interface BuildJobLogs {
  /** Following is over: print what is held; a failed job's last lines. */
  finish(
    job: JobSnapshot,
    followed: { aborted: boolean },
  ): Promise<{ lines: string[] } | undefined>;
}

/** What the post step's backstop needs to know about the build job. */
export type BuildJobPhase = JobPhase;

export interface KanikoRequest {
  registry: string;
  build: BuildSettings;
  workspace: string;
  getAccessToken(): Promise<string>;
  commitSha?: string;
  project: string;
  /** The training job's region: the build job runs there too. */
  region: string;
  contextStore: ContextStore;
  executorImage: string;
  /** The training job's `run.service_account`. */
  serviceAccount?: string;
  github: GitHubRunInfo;
  /** Unique to this execution of the step (the build job's exactly-once label). */
  buildId: string;
  /** How long to follow the build job (the wait-timeout). */
  timeoutSeconds: number;
  cancelOnAbort: boolean;
  storage: StorageSettings;
  /** Opens the Vertex AI connection the build job runs on (src/cloud/connect.ts). */
  openVertex(): Promise<VertexConnection>;
  /** Where the archive is written before the upload (RUNNER_TEMP). */
  tempDir: string;
  log: Logger;
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** The build job's name and where main stands with it, for the post step's cancel backstop. */
  onBuildJob(name: string, phase: BuildJobPhase): void;
  /** Starts following the build job's log entries (none: its logs are not read). */
  followLogs?(job: JobSnapshot, timeScale: number): BuildJobLogs;
  signal?: AbortSignal;
  sizeLimit?: number;
}
