// The emulator's stand-in for the Kaniko executor: a CustomJob whose first pool runs an
// executor on a `gs://` context is served by an equivalent local build. The context tar.gz is
// fetched from the Cloud Storage stand-in (JSON API, alt=media), unpacked, built by
// `docker build` on a local dockerd (classic builder, no network for RUN steps), every
// `--destination` pushed to the local registry, and the pushed digest written where
// `--digest-file=/gcs/BUCKET/OBJECT` says (Vertex mounts Cloud Storage at /gcs), through the
// stand-in's media upload. The executor's output goes to the Cloud Logging stand-in as the
// job's log entries (replica workerpool0-0), when one is given. The job then ends SUCCEEDED,
// or FAILED with Vertex's reason (and, without a Logging stand-in, the executor's last lines
// after it, as a termination message would carry them); a cancel kills the build.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import type { LogScript } from '../logging/scripts.ts';
import type { JobStore, StoredJob } from './store.ts';

type Obj = Record<string, unknown>;

export interface KanikoRunnerOptions {
  /** DOCKER_HOST of the engine that builds and pushes. */
  dockerHost: string;
  /** The Cloud Storage stand-in (`http://127.0.0.1:PORT`): contexts come from it, digests go to it. */
  storageUrl: string;
  /** Logins the engine pushes with (the executor's own credentials on Vertex). */
  registryLogins?: Array<{ host: string; username: string; password: string }>;
  /** The Cloud Logging stand-in (emulators/logging) that receives the executor's output. */
  logging?: { script(jobId: string, script: LogScript, t0?: number): void };
}

/** The executor's command line, as the job gave it. */
export interface KanikoArgs {
  context: string;
  dockerfile: string;
  destinations: string[];
  digestFile?: string;
  platform?: string;
  buildArgs: Record<string, string>;
  cache: boolean;
  cacheRepo?: string;
  insecureRegistries: string[];
  /** Flags the stand-in does not act on. */
  other: string[];
}

export interface KanikoBuild {
  job: string;
  args: KanikoArgs;
  outcome: 'running' | 'succeeded' | 'failed' | 'cancelled';
  digest?: string;
  /** The executor's output, last lines. */
  tail: string[];
}

export interface KanikoRunner {
  /** Whether the CustomJob (as the client sent it) is a Kaniko build. */
  claims(customJob: Obj): boolean;
  start(job: StoredJob, store: JobStore): void;
  cancel(job: StoredJob): void;
  readonly builds: KanikoBuild[];
  /** Resolves when no build is running. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

function firstContainer(customJob: Obj): Obj | undefined {
  const pools = (customJob.jobSpec as Obj | undefined)?.workerPoolSpecs;
  const pool = Array.isArray(pools) ? (pools[0] as Obj | undefined) : undefined;
  return pool?.containerSpec as Obj | undefined;
}

export function parseKanikoArgs(args: string[], env: Record<string, string>): KanikoArgs {
  const out: KanikoArgs = {
    context: '',
    dockerfile: 'Dockerfile',
    destinations: [],
    buildArgs: {},
    cache: false,
    insecureRegistries: [],
    other: [],
  };
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const [flag, value] = eq < 0 ? [arg, ''] : [arg.slice(0, eq), arg.slice(eq + 1)];
    switch (flag) {
      case '--context':
        out.context = value;
        break;
      case '--dockerfile':
        out.dockerfile = value;
        break;
      case '--destination':
        out.destinations.push(value);
        break;
      case '--digest-file':
        out.digestFile = value;
        break;
      case '--custom-platform':
        out.platform = value;
        break;
      case '--cache':
        out.cache = value !== 'false';
        break;
      case '--cache-repo':
        out.cacheRepo = value;
        break;
      case '--insecure-registry':
        out.insecureRegistries.push(value);
        break;
      case '--build-arg': {
        // `KEY` alone: the executor takes the value from its environment.
        const i = value.indexOf('=');
        if (i < 0) out.buildArgs[value] = env[value] ?? '';
        else out.buildArgs[value.slice(0, i)] = value.slice(i + 1);
        break;
      }
      default:
        out.other.push(arg);
    }
  }
  return out;
}

/** The docker CLI's own notices, which an executor would not print. */
const DOCKER_CHATTER =
  /DEPRECATED|BuildKit is currently disabled|environment-variable\.|Install the buildx|docs\.docker\.com|Sending build context|^\s*-+>\s*$/;

const TERMINATION =
  'The replica workerpool0-0 exited with a non-zero status of 1. Termination reason: Error.';

export function startKanikoRunner(options: KanikoRunnerOptions): KanikoRunner {
  const builds: KanikoBuild[] = [];
  const running = new Map<
    string,
    { child?: ChildProcess; cancelled: boolean; done: Promise<void> }
  >();

  const run = (
    cmd: string,
    args: string[],
    env: Record<string, string>,
    emit: (line: string) => void,
    handle: { child?: ChildProcess; cancelled: boolean },
    input?: string,
  ) =>
    new Promise<{ code: number; output: string }>((resolve) => {
      if (handle.cancelled) return resolve({ code: 130, output: '' });
      const child = spawn(cmd, args, {
        env: { ...process.env, ...env },
        stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
      handle.child = child;
      let output = '';
      const onData = (b: Buffer) => {
        output += b.toString();
        for (const line of b.toString().split('\n')) {
          if (line.trim() === '' || DOCKER_CHATTER.test(line)) continue;
          emit(line.replace(/\r$/, ''));
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      if (input !== undefined) child.stdin?.end(input);
      child.on('error', (err) => resolve({ code: 127, output: String(err) }));
      child.on('close', (code) => resolve({ code: code ?? 1, output }));
    });

  async function execute(
    job: StoredJob,
    store: JobStore,
    build: KanikoBuild,
    handle: { child?: ChildProcess; cancelled: boolean },
  ) {
    // Every line the executor prints: kept for the error, and a log entry of the job.
    const emit = (line: string, stream: 'stdout' | 'stderr' = 'stdout') => {
      build.tail.push(line);
      if (build.tail.length > 30) build.tail.shift();
      options.logging?.script(job.id, {
        entries: [{ at: 0, replica: 'workerpool0-0', text: line, stream }],
      });
    };
    const fail = (line: string): never => {
      emit(line, 'stderr');
      throw new Error(line);
    };
    const { args } = build;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wbvl-kaniko-'));
    try {
      const m = /^gs:\/\/([^/]+)\/(.+)$/.exec(args.context);
      if (!m) fail(`error resolving source context: unsupported context ${args.context}`);
      const [, bucket, object] = m!;
      const res = await fetch(
        `${options.storageUrl}/storage/v1/b/${bucket}/o/${encodeURIComponent(object)}?alt=media`,
      );
      if (!res.ok)
        fail(
          `error resolving source context: storage: object doesn't exist: gs://${bucket}/${object} (HTTP ${res.status})`,
        );
      emit(`Unpacking the build context gs://${bucket}/${object}`);
      const archive = path.join(dir, 'context.tar.gz');
      await writeFile(archive, Buffer.from(await res.arrayBuffer()));
      const context = path.join(dir, 'buildcontext');
      await mkdir(context);
      const untar = await run('tar', ['-xzf', archive, '-C', context], {}, emit, handle);
      if (untar.code !== 0) fail('error resolving source context: the context is not a tar.gz');

      const env = {
        DOCKER_HOST: options.dockerHost,
        DOCKER_CONFIG: path.join(dir, 'docker-config'),
      };
      for (const login of options.registryLogins ?? []) {
        const r = await run(
          'docker',
          ['login', '--username', login.username, '--password-stdin', login.host],
          env,
          () => {},
          handle,
          login.password + '\n',
        );
        if (r.code !== 0) fail(`error checking push permissions: cannot log in to ${login.host}`);
      }
      const buildArgv = ['build', '--network=none', '-f', path.join(context, args.dockerfile)];
      if (args.platform) buildArgv.push('--platform', args.platform);
      for (const d of args.destinations) buildArgv.push('-t', d);
      for (const [k, v] of Object.entries(args.buildArgs))
        buildArgv.push('--build-arg', `${k}=${v}`);
      buildArgv.push(context);
      const built = await run('docker', buildArgv, { ...env, DOCKER_BUILDKIT: '0' }, emit, handle);
      if (handle.cancelled) return;
      if (built.code !== 0) {
        const last = build.tail.filter((l) => !/^\s*$/.test(l)).at(-1) ?? 'the build failed';
        fail(`error building image: error building stage: ${last.trim()}`);
      }
      let digest: string | undefined;
      for (const d of args.destinations) {
        const pushed = await run('docker', ['push', d], env, emit, handle);
        if (handle.cancelled) return;
        if (pushed.code !== 0) fail(`error pushing image: failed to push to destination ${d}`);
        digest ??= /digest: (sha256:[0-9a-f]{64})/.exec(pushed.output)?.[1];
      }
      build.digest = digest;
      const fuse = /^\/gcs\/([^/]+)\/(.+)$/.exec(args.digestFile ?? '');
      if (fuse && digest) {
        const put = await fetch(
          `${options.storageUrl}/upload/storage/v1/b/${fuse[1]}/o?uploadType=media&name=${encodeURIComponent(fuse[2])}`,
          { method: 'POST', headers: { 'content-type': 'text/plain' }, body: digest },
        );
        if (!put.ok) fail(`writing digest to file failed: HTTP ${put.status}`);
      }
      emit(`Pushed ${args.destinations.join(', ')}`);
      build.outcome = 'succeeded';
      store.finish(job, 'JOB_STATE_SUCCEEDED');
    } catch (err) {
      if (handle.cancelled) return;
      build.outcome = 'failed';
      if (!build.tail.includes((err as Error).message)) emit((err as Error).message, 'stderr');
      // With a Logging stand-in the lines are in the job's logs, as on Vertex.
      const lines = options.logging ? '' : `\n${build.tail.slice(-10).join('\n')}`;
      store.finish(job, 'JOB_STATE_FAILED', { code: status.UNKNOWN, message: TERMINATION + lines });
    } finally {
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    }
  }

  return {
    builds,
    claims(customJob) {
      const container = firstContainer(customJob);
      const args = container?.args;
      return (
        Array.isArray(args) &&
        args.some((a) => typeof a === 'string' && a.startsWith('--context=gs://'))
      );
    },
    start(job, store) {
      const container = firstContainer(job.spec) ?? {};
      const env: Record<string, string> = {};
      for (const e of (container.env as Array<{ name: string; value: string }> | undefined) ?? [])
        env[e.name] = e.value;
      const build: KanikoBuild = {
        job: job.name,
        args: parseKanikoArgs((container.args as string[]) ?? [], env),
        outcome: 'running',
        tail: [],
      };
      builds.push(build);
      const handle: { child?: ChildProcess; cancelled: boolean; done: Promise<void> } = {
        cancelled: false,
        done: Promise.resolve(),
      };
      handle.done = execute(job, store, build, handle).finally(() => running.delete(job.name));
      running.set(job.name, handle);
    },
    cancel(job) {
      const handle = running.get(job.name);
      if (!handle) return;
      handle.cancelled = true;
      handle.child?.kill('SIGTERM');
      const build = builds.find((b) => b.job === job.name);
      if (build) build.outcome = 'cancelled';
    },
    async idle() {
      await Promise.all([...running.values()].map((h) => h.done));
    },
    async close() {
      for (const h of running.values()) {
        h.cancelled = true;
        h.child?.kill('SIGTERM');
      }
      await Promise.all([...running.values()].map((h) => h.done));
    },
  };
}
