// The action's inputs, parsed once (src/github/inputs.ts) into one typed value that every
// phase reads. Nothing here does I/O. The settings the pure core reads are its own types,
// defined next to the code that uses them; this file composes them and re-exports them.
import type { BuilderSettings } from './core/image/builder-inputs.ts';
import type { QueueConfigSource } from './core/queue-config/source.ts';
import type { WandbSettings } from './core/wandb.ts';
import type { WandbJobPath } from './core/wandb-launch/job.ts';
import type { WandbLaunchParts } from './core/wandb-launch/launch-parts.ts';

export type { BuilderSettings, QueueConfigSource, WandbJobPath, WandbSettings };

export interface BuildSettings {
  context: string;
  dockerfile: string;
  buildArgs: Record<string, string>;
  platform: string;
  cacheFrom: string[];
  cacheTo: string[];
}

export interface AuthSettings {
  workloadIdentityProvider?: string;
  serviceAccount?: string;
  audience?: string;
  universe: string;
  stsEndpoint?: string;
  iamCredentialsEndpoint?: string;
}

export interface ReportingSettings {
  githubToken?: string;
  checkRun: boolean;
  prComment: boolean;
  jobSummary: boolean;
}

/**
 * What the step does: launch a job, follow one launched earlier, complete the reports of ended
 * ones, or drain a W&B Launch queue (`agent`).
 */
export type StepMode =
  | { kind: 'launch' }
  | { kind: 'attach'; jobName: string }
  | { kind: 'reconcile' }
  | { kind: 'agent' };

/** The W&B Launch inputs (`wandb-queue`, `template-variables`, `wandb-job`, `agent-max-items`). */
export interface WandbLaunchInputs {
  queue?: { entity: string; name: string };
  templateVariables: Record<string, string>;
  job?: WandbJobPath;
  agentMaxItems: number;
  /** W&B Launch's command, environment and labels, resolved from W&B before compiling. */
  parts?: WandbLaunchParts;
}

export interface PreflightSettings {
  /** false: no preflight check at all (the `preflight` input). */
  enabled: boolean;
  storageEndpoint?: string;
  iamEndpoint?: string;
}

export interface LaunchContext {
  mode: StepMode;
  /** Empty unless the mode is `launch`. */
  queueConfig: QueueConfigSource;
  project?: string;
  region: string;
  /** `fallback-regions`: where the same job goes next when a region has no capacity. */
  fallbackRegions: string[];
  image?: string;
  registry?: string;
  /** `image` and `registry` as given, once `{region}` in them is bound to the job's region. */
  regionTemplates?: { image?: string; registry?: string };
  build: BuildSettings;
  builder: BuilderSettings;
  vars: Record<string, string>;
  env: Record<string, string>;
  labels: Record<string, string>;
  displayName?: string;
  /** This leg's matrix values as JSON (`${{ toJSON(matrix) }}`), or a leg name. */
  matrix?: string;
  wandb: WandbSettings;
  /** undefined: not set by the input, so the queue config's `run.sync` may decide. */
  wait?: boolean;
  waitTimeoutSeconds: number;
  cancelOnAbort: boolean;
  /** Launch for pull requests from forks too (`allow-fork-pull-requests`). */
  allowForkPullRequests: boolean;
  dryRun: boolean;
  vertexEndpoint?: string;
  /** Print the job's Cloud Logging entries while following it. */
  logs: boolean;
  loggingEndpoint?: string;
  auth: AuthSettings;
  reporting: ReportingSettings;
  preflight: PreflightSettings;
  wandbLaunch: WandbLaunchInputs;
}
