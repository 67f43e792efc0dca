// The action's inputs, parsed once (src/github/inputs.ts) into one typed value that every
// phase reads. Nothing here does I/O.
import type { ContextStore } from './core/image/context-store.ts';
import type { BaselineSetting } from './core/results/baseline.ts';
import type { WandbLaunchParts } from './core/wandb-launch/launch-parts.ts';

export interface QueueConfigSource {
  /** The YAML or JSON text of the queue config. */
  text: string;
  /** Where it came from: a workspace-relative file path, or `<inline>`. Used in error locations. */
  origin: string;
  /**
   * The text was written from a config stored elsewhere (a W&B queue's): its lines mean nothing
   * to the user, so problems name the origin without a line.
   */
  unlocated?: boolean;
}

export interface BuildSettings {
  context: string;
  dockerfile: string;
  buildArgs: Record<string, string>;
  platform: string;
  cacheFrom: string[];
  cacheTo: string[];
}

/** Where the image is built: the local Docker daemon, or Kaniko as a Vertex AI CustomJob. */
export type BuilderSettings =
  { kind: 'docker' } | { kind: 'kaniko'; contextStore: ContextStore; executorImage: string };

export interface WandbSettings {
  project?: string;
  entity?: string;
  apiKey?: string;
  /** `wandb-api-key-secret`: a Secret Manager version the job reads its key from, instead. */
  apiKeySecret?: string;
  /** WANDB_BASE_URL; links default to https://api.wandb.ai when unset. */
  baseUrl?: string;
  /** `wandb-metrics`: the summary metrics to show (none: the default choice). */
  metrics?: string[];
  /** `wandb-baseline`; default `base-branch`. */
  baseline?: BaselineSetting;
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

/** `ENTITY/PROJECT/NAME:ALIAS` of a W&B Launch job. */
export interface WandbJobPath {
  entity: string;
  project: string;
  name: string;
  alias: string;
}

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
