// docker login, build and push. BuildKit through buildx when it is installed; the classic
// builder otherwise (Debian's docker.io has no buildx).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { docker, type DockerResult } from './docker-cli.ts';
import { credentialsHint, REGISTRY_USER } from './registry-client.ts';
import {
  secretArgsDeclared,
  secretMountHint,
  splitBuildArgs,
} from '../core/image/secret-build-args.ts';

export interface DockerEnv {
  env: Record<string, string>;
  log: Logger;
  signal?: AbortSignal;
}

function lastLines(r: DockerResult): string {
  return r.tail
    .filter((l) => l.trim() !== '')
    .map((l) => `  ${l}`)
    .join('\n');
}

/** `docker login` into the env's DOCKER_CONFIG; the token goes on stdin only. */
export async function dockerLogin(host: string, token: string, d: DockerEnv): Promise<void> {
  const r = await docker(['login', '--username', REGISTRY_USER, '--password-stdin', host], {
    ...d,
    stdin: token + '\n',
    stream: false,
  });
  if (r.code !== 0) {
    const unauthorized = /unauthori[sz]ed|401|denied|incorrect username or password/i.test(
      r.output,
    );
    throw new UserError(
      'build',
      unauthorized
        ? `docker login to ${host} failed: the registry rejected ${REGISTRY_USER} with the access token. ` +
            credentialsHint(host) +
            `\n${lastLines(r)}`
        : `docker login to ${host} failed (exit ${r.code}):\n${lastLines(r)}`,
    );
  }
  d.log.info(`Logged in to ${host} as ${REGISTRY_USER}`);
}

export interface BuildSpec {
  contextDir: string;
  dockerfile: string;
  /** Full references to tag (`name:tag`); the first is the content-addressed one. */
  tags: string[];
  buildArgs: Record<string, string>;
  platform: string;
  /** buildx: `--cache-from` values. Classic: cache images already pulled. */
  cacheFrom: string[];
  /** buildx only: `--cache-to` values. */
  cacheTo: string[];
  /** Cache images the build is also pushed as; a failed push of one only warns. */
  cacheTags: string[];
}

/**
 * The build args as flags: plain ones as `--build-arg NAME=VALUE`; secret-named ones as BuildKit
 * secrets, `--secret id=NAME,env=NAME`, whose values only docker's own environment holds (`env`):
 * never a command line, the log, or the image's history.
 */
export function buildArgFlags(args: Record<string, string>): {
  flags: string[];
  env: Record<string, string>;
} {
  const { plain, secret } = splitBuildArgs(args);
  const flags: string[] = [];
  for (const [k, v] of Object.entries(plain)) flags.push('--build-arg', `${k}=${v}`);
  for (const k of Object.keys(secret)) flags.push('--secret', `id=${k},env=${k}`);
  return { flags, env: secret };
}

/** Secret build args need BuildKit; Docker without it refuses `--secret` (or BuildKit itself). */
const NO_BUILDKIT = /buildx component is missing|unknown flag: --secret|BuildKit is enabled but/i;

function noBuildKit(names: string[]): UserError {
  const message =
    `${names.join(', ')}: secret-named build args are passed as BuildKit secrets, never as ` +
    "--build-arg (whose value the image's history keeps), and this runner's Docker cannot " +
    'build with BuildKit: install the buildx plugin (docker/setup-buildx-action), or use builder: kaniko';
  return new UserError('build', message, [{ path: 'build-args', message }]);
}

/** Says which secret build args the Dockerfile still reads as ARG (they are now empty). */
async function warnDeclaredSecretArgs(spec: BuildSpec, secretNames: string[], log: Logger) {
  if (secretNames.length === 0) return;
  const text = await readFile(spec.dockerfile, 'utf8').catch(() => '');
  for (const name of secretArgsDeclared(text, secretNames))
    log.warning(
      `build-args: ${name} is passed as a BuildKit secret, so \`ARG ${name}\` in the Dockerfile is empty; ${secretMountHint(name)}`,
    );
}

function buildFailed(r: DockerResult, spec: BuildSpec): UserError {
  return new UserError(
    'build',
    `docker build failed (exit ${r.code}); nothing was submitted. Last lines of Docker's output:\n${lastLines(r)}`,
    [{ path: 'dockerfile', file: spec.dockerfile, message: 'the image build failed' }],
  );
}

/** The `docker buildx build` argv: caches passed through, all tags (cache tags too) pushed. */
export function buildxArgs(
  spec: BuildSpec,
  buildArgFlagList: string[],
  metadataFile: string,
): string[] {
  const args = ['buildx', 'build', '--platform', spec.platform, '--file', spec.dockerfile];
  for (const t of [...spec.tags, ...spec.cacheTags]) args.push('--tag', t);
  args.push(...buildArgFlagList);
  for (const c of spec.cacheFrom) args.push('--cache-from', c);
  for (const c of spec.cacheTo) args.push('--cache-to', c);
  args.push('--metadata-file', metadataFile, '--push', spec.contextDir);
  return args;
}

/** The classic `docker build` argv: pulled cache images as `--cache-from`, every tag. */
export function classicBuildArgs(spec: BuildSpec, buildArgFlagList: string[]): string[] {
  const args = ['build', '--platform', spec.platform, '--file', spec.dockerfile];
  for (const t of [...spec.tags, ...spec.cacheTags]) args.push('--tag', t);
  for (const c of spec.cacheFrom) args.push('--cache-from', c);
  args.push(...buildArgFlagList, spec.contextDir);
  return args;
}

/** Build with buildx and push all tags; returns the pushed digest as buildx reports it. */
export async function buildxBuildPush(spec: BuildSpec, d: DockerEnv): Promise<string | undefined> {
  const { flags, env } = buildArgFlags(spec.buildArgs);
  await warnDeclaredSecretArgs(spec, Object.keys(env), d.log);
  const metaDir = await mkdtemp(path.join(os.tmpdir(), 'wbvl-buildx-'));
  const metadataFile = path.join(metaDir, 'metadata.json');
  try {
    const args = buildxArgs(spec, flags, metadataFile);
    // Plain image manifests (no provenance index), which every consumer of the image can pull.
    const r = await docker(args, {
      ...d,
      env: { ...d.env, BUILDX_NO_DEFAULT_ATTESTATIONS: '1', BUILDKIT_PROGRESS: 'plain' },
      secretEnv: env,
      tailLines: 20,
    });
    if (r.code !== 0) throw buildFailed(r, spec);
    try {
      const meta = JSON.parse(await readFile(metadataFile, 'utf8')) as Record<string, unknown>;
      const digest = meta['containerimage.digest'];
      return typeof digest === 'string' ? digest : undefined;
    } catch {
      return undefined;
    }
  } finally {
    await rm(metaDir, { recursive: true, force: true });
  }
}

/** Build with the classic builder, then `docker push` each tag; returns the pushed digest. */
export async function classicBuildPush(spec: BuildSpec, d: DockerEnv): Promise<string | undefined> {
  const ignoreForBuildKit = spec.dockerfile + '.dockerignore';
  try {
    await readFile(ignoreForBuildKit);
    d.log.warning(
      `${path.basename(ignoreForBuildKit)} applies to BuildKit only; the classic builder reads ` +
        `<context>/.dockerignore, so it may send more files than the context hash covers`,
    );
  } catch {
    // no Dockerfile-specific ignore file: nothing to say
  }
  const { flags, env } = buildArgFlags(spec.buildArgs);
  const secretNames = Object.keys(env);
  await warnDeclaredSecretArgs(spec, secretNames, d.log);
  // Secrets need BuildKit: without buildx, the docker CLI's own BuildKit client (Docker < 23).
  const buildkit = secretNames.length > 0;
  const r = await docker(classicBuildArgs(spec, flags), {
    ...d,
    env: buildkit
      ? { ...d.env, DOCKER_BUILDKIT: '1', BUILDKIT_PROGRESS: 'plain' }
      : { ...d.env, DOCKER_BUILDKIT: '0' },
    secretEnv: env,
  });
  if (r.code !== 0 && buildkit && NO_BUILDKIT.test(r.output)) throw noBuildKit(secretNames);
  if (r.code !== 0) throw buildFailed(r, spec);
  let digest: string | undefined;
  for (const t of spec.tags) {
    const p = await docker(['push', t], d);
    if (p.code !== 0) {
      const denied = /unauthori[sz]ed|denied|401|403/i.test(p.output);
      throw new UserError(
        'build',
        `docker push ${t} failed (exit ${p.code}). ` +
          (denied ? credentialsHint(t.split('/')[0]) : '') +
          `\n${lastLines(p)}`,
      );
    }
    const m = /digest: (sha256:[0-9a-f]{64})/.exec(p.output);
    if (m && digest === undefined) digest = m[1];
  }
  // The cache image is for the next build: failing to write it costs that build time only.
  for (const t of spec.cacheTags) {
    const p = await docker(['push', t], { ...d, stream: false });
    if (p.code !== 0)
      d.log.warning(
        `could not push the build cache ${t} (exit ${p.code}); the next build starts without it:\n${lastLines(p)}`,
      );
    else d.log.info(`Pushed the build cache ${t}`);
  }
  return digest;
}
