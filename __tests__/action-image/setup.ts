// The local world of a bundled-action run that builds its image: a private dockerd and a
// registry (htpasswd user oauth2accesstoken), the GitHub OIDC / STS / IAM Credentials
// stand-ins issuing the registry's password as the impersonated access token, and a plaintext
// Vertex emulator. A run authenticates with workload identity federation because it builds.
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_SERVICE_ACCOUNT,
  startAuthEmulators,
  type AuthEmulators,
} from '../../emulators/google-auth/index.ts';
import { startVertexEmulator, type VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { REPO_ROOT } from '../helpers/action-runner.ts';
import { startDockerEnv, type DockerTestEnv } from '../helpers/docker-env.ts';

export const PROJECT = 'octo-project';
export const REGION = 'us-central1';
export const REPOSITORY = 'team/trainer';

export interface ImageWorld {
  docker: DockerTestEnv;
  auth: AuthEmulators;
  vertex: VertexEmulator;
  /** `127.0.0.1:PORT/team/trainer`, the `registry` input. */
  registry: string;
  /** Inputs of a build-and-push launch (without the workspace-dependent ones). */
  inputs: Record<string, string>;
  env: Record<string, string>;
  /** What the registry itself says `tag` points at (Docker-Content-Digest), or null. */
  registryDigest(tag: string): Promise<string | null>;
  close(): Promise<void>;
}

export async function startImageWorld(): Promise<ImageWorld> {
  const docker = await startDockerEnv();
  const closers: Array<() => Promise<void>> = [() => docker.stop()];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
  };
  try {
    // The registry's htpasswd password IS the impersonated token: the login only works with it.
    const auth = await startAuthEmulators({ iamIssueToken: () => docker.token });
    closers.push(() => auth.close());
    const vertex = await startVertexEmulator({ tickMs: 60 });
    closers.push(() => vertex.stop());
    const registry = `${docker.registryHost}/${REPOSITORY}`;
    return {
      docker,
      auth,
      vertex,
      registry,
      inputs: {
        'queue-config': 'queue-config.yaml',
        project: PROJECT,
        region: REGION,
        registry,
        'workload-identity-provider': auth.provider,
        'service-account': DEFAULT_SERVICE_ACCOUNT,
        'sts-endpoint': auth.stsEndpoint,
        'iamcredentials-endpoint': auth.iamCredentialsEndpoint,
        'vertex-endpoint': `http://${vertex.grpcAddress}`,
        'check-run': 'false',
        // No Cloud Storage here: preflight has its own tests (action-preflight).
        preflight: 'false',
      },
      env: {
        ...auth.githubEnv,
        DOCKER_HOST: docker.dockerHost,
        WB_VERTEX_LAUNCH_TIME_SCALE: '0.002',
      },
      async registryDigest(tag) {
        const basic = Buffer.from(`oauth2accesstoken:${docker.token}`).toString('base64');
        const res = await fetch(`http://${docker.registryHost}/v2/${REPOSITORY}/manifests/${tag}`, {
          method: 'HEAD',
          headers: {
            Authorization: `Basic ${basic}`,
            Accept:
              'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
          },
        });
        return res.status === 200 ? res.headers.get('docker-content-digest') : null;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * A workspace as a checkout would be: a Dockerfile, the file it copies, and the example queue
 * config (its pool runs `${image_uri}`). Files that need no base image: nothing is pulled.
 */
export async function makeWorkspace(dockerfile: string, marker: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wbvl-img-ws-'));
  await writeFile(path.join(dir, 'Dockerfile'), dockerfile);
  await writeFile(path.join(dir, 'hello.txt'), `hello from ${marker}\n`);
  await copyFile(
    path.join(REPO_ROOT, 'examples', 'queue-config.yaml'),
    path.join(dir, 'queue-config.yaml'),
  );
  return dir;
}
