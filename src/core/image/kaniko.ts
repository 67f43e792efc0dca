// The Kaniko build job: a Vertex AI CustomJob running the Kaniko executor on the build context
// uploaded to Cloud Storage, pushing the content-addressed tag and the commit tag. Pure: the
// request is computed here; src/kaniko/ submits and follows it.
//
// The digest: the executor writes it with `--digest-file` to a path under /gcs/BUCKET, where
// Vertex mounts Cloud Storage, so it lands beside the context; the action reads it back and
// checks it against what the registry says the content-addressed tag is.
import { toLabelValue } from '../labels.ts';
import type { GitHubRunInfo } from '../queue-config/template-values.ts';
import type { CreateCustomJobRequestJson, JsonObject } from '../request.ts';
import { repositoryLabelValue } from '../launch-identity.ts';
import { isSecretName } from '../redact.ts';

/**
 * The default executor: osscontainertools/kaniko, a maintained fork of Kaniko (Google archived
 * GoogleContainerTools/kaniko on 2025-06-03), from its Docker Hub distribution, a registry
 * Vertex AI pulls from. Pinned, so a release of the fork never changes builds unannounced.
 */
export const DEFAULT_KANIKO_IMAGE = 'martizih/kaniko:v1.28.3';

/** The build job's machine: CPU only, as Kaniko needs no accelerator. */
export const KANIKO_MACHINE_TYPE = 'n1-standard-4';

/** Kaniko's layer cache lives in a repository beside the image: `REPO/cache` (Kaniko's own default). */
export function kanikoCacheRepository(imageName: string): string {
  return `${imageName}/cache`;
}

/** Label keys of a build job. It carries no `managed-by`: reconcile never mistakes it for a launch. */
export const BUILD_LABEL = {
  role: 'wb-vertex-launch-role',
  /** Unique to one execution of the step: the key for "did my Create go through?". */
  buildId: 'wb-vertex-launch-build',
} as const;
export const BUILD_ROLE = 'image-build';

export interface KanikoJobSpec {
  project: string;
  region: string;
  executorImage: string;
  /** `gs://BUCKET/OBJECT.tar.gz` */
  contextUri: string;
  /** Slash-separated path of the Dockerfile inside the context. */
  dockerfile: string;
  /** Full references: the content-addressed tag first, then the commit tag. */
  destinations: string[];
  cacheRepository: string;
  /** Path inside the container where the executor writes the digest. */
  digestFile: string;
  platform: string;
  buildArgs: Record<string, string>;
  /** A plain-HTTP registry host (a loopback one), for `--insecure-registry`. */
  insecureRegistry?: string;
  /** The training job's `run.service_account`: the build runs as the same identity. */
  serviceAccount?: string;
  /** The content-addressed tag, for the display name. */
  tag: string;
  github: GitHubRunInfo;
  /** This execution's id (the launch label's value). */
  buildId: string;
  timeoutSeconds: number;
}

/**
 * The executor's arguments. Build args with secret-looking names pass by name only
 * (`--build-arg KEY`, which the executor reads from its environment), so their values never
 * appear in the argument list the job shows.
 */
export function kanikoArgs(spec: KanikoJobSpec): {
  args: string[];
  env: Array<{ name: string; value: string }>;
} {
  const args = [`--context=${spec.contextUri}`, `--dockerfile=${spec.dockerfile}`];
  for (const d of spec.destinations) args.push(`--destination=${d}`);
  args.push(
    '--cache=true',
    `--cache-repo=${spec.cacheRepository}`,
    `--digest-file=${spec.digestFile}`,
    `--custom-platform=${spec.platform}`,
  );
  const env: Array<{ name: string; value: string }> = [];
  for (const key of Object.keys(spec.buildArgs).sort()) {
    const value = spec.buildArgs[key];
    if (isSecretName(key)) {
      args.push(`--build-arg=${key}`);
      env.push({ name: key, value });
    } else args.push(`--build-arg=${key}=${value}`);
  }
  if (spec.insecureRegistry) args.push(`--insecure-registry=${spec.insecureRegistry}`);
  return { args, env };
}

export function buildJobLabels(github: GitHubRunInfo, buildId: string): Record<string, string> {
  const labels: Record<string, string> = {
    [BUILD_LABEL.role]: BUILD_ROLE,
    [BUILD_LABEL.buildId]: toLabelValue(buildId),
  };
  if (github.repository) labels['github-repository'] = repositoryLabelValue(github.repository);
  if (github.runId) {
    labels['github-run-id'] = toLabelValue(github.runId);
    labels['github-run-attempt'] = toLabelValue(github.runAttempt ?? '1');
  }
  if (github.sha) labels['github-sha'] = toLabelValue(github.sha);
  return labels;
}

export function kanikoJobRequest(spec: KanikoJobSpec): CreateCustomJobRequestJson {
  const { args, env } = kanikoArgs(spec);
  const container: JsonObject = { imageUri: spec.executorImage, args };
  if (env.length > 0) container.env = env;
  const jobSpec: JsonObject = {
    workerPoolSpecs: [
      {
        machineSpec: { machineType: KANIKO_MACHINE_TYPE },
        replicaCount: '1',
        containerSpec: container,
      },
    ],
    scheduling: { timeout: `${Math.max(1, Math.round(spec.timeoutSeconds))}s` },
  };
  if (spec.serviceAccount) jobSpec.serviceAccount = spec.serviceAccount;
  const repo = spec.github.repository ? ` for ${spec.github.repository}` : '';
  return {
    parent: `projects/${spec.project}/locations/${spec.region}`,
    customJob: {
      displayName: `image build ${spec.tag}${repo}`.slice(0, 128),
      jobSpec,
      labels: buildJobLabels(spec.github, spec.buildId),
    },
  };
}

/** Values of secret-looking build args: never shown, in the step log or in a report. */
export function secretBuildArgValues(buildArgs: Record<string, string>): string[] {
  return Object.entries(buildArgs)
    .filter(([k, v]) => isSecretName(k) && v !== '')
    .map(([, v]) => v);
}
