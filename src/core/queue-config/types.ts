// The compiler's options and results, shared by compile.ts and its stages.
import type { Problem } from '../errors.ts';
import type { RegionTemplates } from '../region-bound.ts';
import type { CreateCustomJobRequestJson } from '../request.ts';
import type { WandbSettings } from '../wandb.ts';
import type { WandbLaunchParts } from '../wandb-launch/launch-parts.ts';
import type { QueueConfigSource } from './source.ts';
import type { GitHubRunInfo } from './template-values.ts';

export interface CompileOptions {
  source: QueueConfigSource;
  project?: string;
  region?: string;
  /** The image `${image_uri}` stands for: the `image` input, or the one built from `registry`. */
  image?: string;
  /** Which input gave `image`, for the warning when no pool uses it. */
  imageInput?: 'image' | 'registry';
  vars: Record<string, string>;
  env: Record<string, string>;
  labels: Record<string, string>;
  displayName?: string;
  wandb: WandbSettings;
  wandbRunId: string;
  github: GitHubRunInfo;
  /** The value of the label unique to this execution of the step (create exactly once). */
  launchId?: string;
  /** The matrix leg (`0.01, resnet`): part of the default display name, so legs differ. */
  leg?: string;
  /** How the step follows the job: recorded as a label, for reconcile. Absent for `plan`. */
  follow?: { wait?: boolean; timeoutSeconds: number };
  /** W&B Launch's command, environment and labels (a W&B job, a queue, a queue item). */
  wandbLaunch?: WandbLaunchParts;
  now: Date;
}

export interface CompiledLaunch {
  request: CreateCustomJobRequestJson;
  project: string;
  region: string;
  /** `run.sync`, when the config sets it. */
  sync?: boolean;
  /** `spec.staging_bucket` as given (templates substituted); not part of the request. */
  stagingBucket: string;
  warnings: string[];
  usesImage: boolean;
  wandbRunUrl?: string;
  /** Values that must never be printed. */
  secrets: string[];
  /** `{region}` in the staging bucket or output directory: kept for fallback regions. */
  regionTemplates?: RegionTemplates;
}

export type CompileResult =
  { ok: true; launch: CompiledLaunch } | { ok: false; problems: Problem[] };
