// The local world of a bundled-action run with builder: kaniko. The action sees no Docker: its
// PATH holds only a `docker` that records being called and fails, and DOCKER_HOST points at no
// socket. The Vertex emulator serves the Kaniko build job on a private dockerd (the real one)
// and pushes to a real registry; the build context goes through the Cloud Storage stand-in, and
// the executor's output becomes the build job's entries in the Cloud Logging emulator.
// Workload identity federation issues the registry's password as the access token.
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_SERVICE_ACCOUNT,
  startAuthEmulators,
  type AuthEmulators,
} from '../../emulators/google-auth/index.ts';
import { startLoggingEmulator, type LoggingEmulator } from '../../emulators/logging/emulator.ts';
import { startStorageEmulator, type StorageEmulator } from '../../emulators/storage/emulator.ts';
import { startVertexEmulator, type VertexEmulator } from '../../emulators/vertex/emulator.ts';
import type { RecordedCall } from '../../emulators/vertex/service.ts';
import { startDockerEnv, type DockerTestEnv } from '../helpers/docker-env.ts';

export const PROJECT = 'octo-project';
export const REGION = 'us-central1';
export const REPOSITORY = 'team/trainer';
export const BUCKET = 'octo-build-contexts';
export const PREFIX = 'wb/contexts';
export const RUN_AS = `trainer@${PROJECT}.iam.gserviceaccount.com`;
export const SHA = '0123456789abcdef0123456789abcdef01234567';
/** A secret-looking build arg's value: passed to the executor by name, masked everywhere. */
export const BUILD_SECRET = 'hf_e2e_build_secret_0123456789';

export interface KanikoWorld {
  docker: DockerTestEnv;
  auth: AuthEmulators;
  storage: StorageEmulator;
  logging: LoggingEmulator;
  vertex: VertexEmulator;
  /** `127.0.0.1:PORT/team/trainer`, the `registry` input. */
  registry: string;
  inputs: Record<string, string>;
  env: Record<string, string>;
  /** Every command line the action ran `docker` with (it should be none). */
  dockerCalls(): Promise<string[]>;
  registryDigest(tag: string): Promise<string | null>;
  creates(): RecordedCall[];
  close(): Promise<void>;
}

/** A queue config whose pool runs `${image_uri}` as `run.service_account`. */
export const QUEUE_CONFIG = [
  'spec:',
  '  worker_pool_specs:',
  '    - machine_spec:',
  '        machine_type: n1-standard-4',
  '      replica_count: 1',
  '      container_spec:',
  '        image_uri: ${image_uri}',
  '  staging_bucket: gs://octo-staging',
  'run:',
  `  service_account: ${RUN_AS}`,
  '',
].join('\n');

export async function startKanikoWorld(): Promise<KanikoWorld> {
  const docker = await startDockerEnv();
  const closers: Array<() => Promise<void>> = [() => docker.stop()];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
  };
  try {
    const auth = await startAuthEmulators({ iamIssueToken: () => docker.token });
    closers.push(() => auth.close());
    const storage = await startStorageEmulator();
    storage.addBucket(BUCKET);
    closers.push(() => storage.close());
    const logging = await startLoggingEmulator();
    closers.push(() => logging.stop());
    const vertex = await startVertexEmulator({
      tickMs: 60,
      kaniko: {
        dockerHost: docker.dockerHost,
        storageUrl: storage.url,
        logging,
        registryLogins: [
          { host: docker.registryHost, username: 'oauth2accesstoken', password: docker.token },
        ],
      },
    });
    closers.push(() => vertex.stop());

    // The action's PATH: a `docker` that only records its arguments and fails.
    const bin = await mkdtemp(path.join(os.tmpdir(), 'wbvl-nodocker-'));
    const calls = path.join(bin, 'calls.log');
    await writeFile(calls, '');
    await writeFile(
      path.join(bin, 'docker'),
      `#!/bin/sh\necho "docker $*" >> ${calls}\necho "no docker here" >&2\nexit 1\n`,
    );
    await chmod(path.join(bin, 'docker'), 0o755);

    const registry = `${docker.registryHost}/${REPOSITORY}`;
    return {
      docker,
      auth,
      storage,
      logging,
      vertex,
      registry,
      inputs: {
        'queue-config': 'queue-config.yaml',
        project: PROJECT,
        region: REGION,
        registry,
        builder: 'kaniko',
        'build-args': `PYTHON=3.12\nHF_TOKEN=${BUILD_SECRET}`,
        'build-context-store': `gs://${BUCKET}/${PREFIX}`,
        'storage-endpoint': storage.url,
        'workload-identity-provider': auth.provider,
        'service-account': DEFAULT_SERVICE_ACCOUNT,
        'sts-endpoint': auth.stsEndpoint,
        'iamcredentials-endpoint': auth.iamCredentialsEndpoint,
        'vertex-endpoint': `http://${vertex.grpcAddress}`,
        'logging-endpoint': `http://${logging.grpcAddress}`,
        'check-run': 'false',
        preflight: 'false',
      },
      env: {
        ...auth.githubEnv,
        PATH: bin,
        DOCKER_HOST: `unix://${path.join(bin, 'no-such-docker.sock')}`,
        WB_VERTEX_LAUNCH_TIME_SCALE: '0.002',
      },
      async dockerCalls() {
        return (await readFile(calls, 'utf8')).split('\n').filter(Boolean);
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
      creates: () => vertex.record().calls.filter((c) => c.method === 'CreateCustomJob'),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** A checkout: the queue config, a Dockerfile and the file it copies (plus `extra` files). */
export async function makeWorkspace(
  dockerfile: string,
  marker: string,
  extra: Record<string, string> = {},
): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wbvl-kaniko-ws-'));
  await writeFile(path.join(dir, 'Dockerfile'), dockerfile);
  await writeFile(path.join(dir, 'hello.txt'), `hello from ${marker}\n`);
  await writeFile(path.join(dir, 'queue-config.yaml'), QUEUE_CONFIG);
  for (const [name, text] of Object.entries(extra)) await writeFile(path.join(dir, name), text);
  return dir;
}

/** The first pool's container of a created job (as the emulator decoded the request). */
export function containerOf(call: RecordedCall): { imageUri?: string; args?: string[] } {
  const job = call.request.customJob as {
    jobSpec: { workerPoolSpecs: Array<{ containerSpec?: { imageUri?: string; args?: string[] } }> };
  };
  return job.jobSpec.workerPoolSpecs[0].containerSpec ?? {};
}
