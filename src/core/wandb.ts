// W&B wiring: the run id is chosen before the job exists, so the run's link is known at
// submit time and the job's process joins that run (WANDB_RUN_ID).
import type { BaselineSetting } from './results/baseline.ts';

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

const RUN_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const DEFAULT_WANDB_BASE_URL = 'https://api.wandb.ai';
/** Where the job finds the Secret Manager version holding its W&B key (`wandb-api-key-secret`). */
export const WANDB_API_KEY_SECRET_ENV = 'WANDB_API_KEY_SECRET';

const SECRET_VERSION =
  /^projects\/([a-z0-9-]{1,63})\/secrets\/([A-Za-z0-9_-]{1,255})(?:\/versions\/([A-Za-z0-9_-]{1,63}))?$/;

/**
 * A Secret Manager secret version, `projects/P/secrets/NAME[/versions/V]` (V defaults to
 * `latest`), in full; undefined when the text is not one.
 */
export function parseSecretVersion(text: string): string | undefined {
  const m = SECRET_VERSION.exec(text.trim());
  return m ? `projects/${m[1]}/secrets/${m[2]}/versions/${m[3] ?? 'latest'}` : undefined;
}

/** 8 characters of [a-z0-9], as W&B's own run ids; `random` gives bytes (crypto in production). */
export function generateWandbRunId(random: (size: number) => Uint8Array): string {
  return Array.from(random(8), (b) => RUN_ID_ALPHABET[b % RUN_ID_ALPHABET.length]).join('');
}

/**
 * The environment every worker pool gets, as W&B Launch's runners set it (WANDB_LAUNCH marks a
 * launched run; the pool's WANDB_DOCKER is added per pool); the user's own entries override
 * these.
 */
export function wandbEnvironment(settings: WandbSettings, runId: string): Record<string, string> {
  const env: Record<string, string> = { WANDB_LAUNCH: 'True' };
  if (settings.project) env.WANDB_PROJECT = settings.project;
  if (settings.entity) env.WANDB_ENTITY = settings.entity;
  if (settings.baseUrl) env.WANDB_BASE_URL = settings.baseUrl;
  // A Secret Manager reference keeps the key itself out of the job spec (readable by anyone
  // with aiplatform.customJobs.get): the container reads the secret when it starts.
  if (settings.apiKeySecret) env[WANDB_API_KEY_SECRET_ENV] = settings.apiKeySecret;
  else if (settings.apiKey) env.WANDB_API_KEY = settings.apiKey;
  env.WANDB_RUN_ID = runId;
  return env;
}

/**
 * The run's page: the app host is the API host without its `api.` prefix
 * (api.wandb.ai -> wandb.ai; a dedicated server serves both on one host).
 */
export function wandbRunUrl(settings: WandbSettings, runId: string): string | undefined {
  if (!settings.entity || !settings.project) return undefined;
  let app: URL;
  try {
    app = new URL(settings.baseUrl ?? DEFAULT_WANDB_BASE_URL);
  } catch {
    return undefined;
  }
  if (app.hostname.startsWith('api.')) app.hostname = app.hostname.slice(4);
  const base = app.origin + app.pathname.replace(/\/+$/, '');
  const part = encodeURIComponent;
  return `${base}/${part(settings.entity)}/${part(settings.project)}/runs/${part(runId)}`;
}
