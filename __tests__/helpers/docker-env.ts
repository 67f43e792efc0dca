// Starts a private Docker engine and a Docker registry for tests: `dockerd` on its own socket,
// data and exec roots (no iptables, no bridge), and Debian's `docker-registry` (distribution
// 2.8) on 127.0.0.1:<free port> with htpasswd auth for user oauth2accesstoken. The registry's
// access log is kept (what was uploaded is read from it); more empty engines can be started
// beside the first (a fresh runner against the same registry).
//
// Needs root and the Debian packages docker.io, docker-registry and apache2-utils (htpasswd).
// `dockerEnvUnavailable` says at module load why they cannot run, for skipped tests' names.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

function onPath(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function unavailableReason(): string | undefined {
  const missing = ['dockerd', 'docker', 'docker-registry', 'htpasswd'].filter((c) => !onPath(c));
  if (missing.length > 0) {
    return `not installed: ${missing.join(', ')} (apt-get install docker.io docker-registry apache2-utils)`;
  }
  if (process.getuid?.() !== 0) return 'dockerd needs root';
  return undefined;
}

/** Why the Docker tests cannot run here, or undefined when they can. Decided at module load. */
export const dockerEnvUnavailable: string | undefined = unavailableReason();

export interface DockerTestEnv {
  /** unix:///.../docker.sock, for DOCKER_HOST. */
  dockerHost: string;
  /** `127.0.0.1:PORT`. */
  registryHost: string;
  /** The htpasswd password of oauth2accesstoken: the "access token" tests hand the action. */
  token: string;
  /** A scratch directory removed by stop(). */
  root: string;
  /** Runs docker against this engine (own DOCKER_CONFIG); `input` goes to its stdin. */
  docker(args: string[], input?: string): string;
  /** The registry's access log so far (one line per request, combined log format). */
  registryLog(): Promise<string>;
  /** Another engine, empty, with its own data root: a fresh runner. Stopped by stop() too. */
  freshDaemon(): Promise<DockerDaemon>;
  stop(): Promise<void>;
}

export interface DockerDaemon {
  dockerHost: string;
  /** Runs docker against this engine; `input` goes to its stdin. */
  docker(args: string[], input?: string): string;
  /** Stops this engine and removes its data (the environment's stop() does it too). */
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  proc: ChildProcess,
  log: () => string,
) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${what} exited (${proc.exitCode}):\n${log()}`);
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start within 20 s:\n${log()}`);
}

function capture(proc: ChildProcess): () => string {
  let out = '';
  const add = (b: Buffer) => {
    out = (out + b.toString()).slice(-8000);
  };
  proc.stdout?.on('data', add);
  proc.stderr?.on('data', add);
  return () => out;
}

async function stopProcess(proc: ChildProcess) {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** A dockerd on its own socket and roots under `dir` (short: socket paths are limited). */
function startDockerd(
  dir: string,
  procs: ChildProcess[],
): DockerDaemon & { ready(): Promise<void> } {
  const sock = path.join(dir, 'docker.sock');
  const dockerHost = `unix://${sock}`;
  const dockerCmd = (args: string[], input?: string) =>
    execFileSync('docker', args, {
      env: {
        ...process.env,
        DOCKER_HOST: dockerHost,
        DOCKER_CONFIG: path.join(dir, 'docker-config'),
      },
      encoding: 'utf8',
      input,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      maxBuffer: 64 << 20,
    });
  let dockerd: ChildProcess | undefined;
  const ready = async () => {
    await mkdir(dir, { recursive: true });
    dockerd = spawn(
      'dockerd',
      [
        '--iptables=false',
        '--ip6tables=false',
        '--bridge=none',
        '--data-root',
        path.join(dir, 'data'),
        '--exec-root',
        path.join(dir, 'exec'),
        '--pidfile',
        path.join(dir, 'dockerd.pid'),
        '-H',
        dockerHost,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    procs.push(dockerd);
    const dockerdLog = capture(dockerd);
    await waitFor(
      'dockerd',
      async () => {
        try {
          dockerCmd(['info', '--format', '{{.ServerVersion}}']);
          return true;
        } catch {
          return false;
        }
      },
      dockerd,
      dockerdLog,
    );
  };
  const stop = async () => {
    if (dockerd) await stopProcess(dockerd);
    await rm(dir, { recursive: true, force: true }).catch(() => {});
  };
  return { dockerHost, docker: dockerCmd, ready, stop };
}

export async function startDockerEnv(): Promise<DockerTestEnv> {
  if (dockerEnvUnavailable) throw new Error(dockerEnvUnavailable);
  // Short path: unix socket paths are limited to ~107 bytes.
  const root = await mkdtemp(path.join(os.tmpdir(), 'wbvl-d-'));
  const procs: ChildProcess[] = [];
  const stop = async () => {
    for (const p of procs.reverse()) await stopProcess(p);
    await rm(root, { recursive: true, force: true }).catch(() => {});
  };
  try {
    const first = startDockerd(path.join(root, 'd0'), procs);
    const { dockerHost, docker: dockerCmd } = first;

    const token = 'ya29.test-' + randomBytes(16).toString('hex');
    const htpasswd = execFileSync('htpasswd', ['-Bbn', 'oauth2accesstoken', token], {
      encoding: 'utf8',
    });
    await writeFile(path.join(root, 'htpasswd'), htpasswd);
    const port = await freePort();
    const registryHost = `127.0.0.1:${port}`;
    const config = [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${path.join(root, 'registry')}`,
      'http:',
      `  addr: ${registryHost}`,
      `  secret: ${randomBytes(16).toString('hex')}`,
      'auth:',
      '  htpasswd:',
      '    realm: test-registry',
      `    path: ${path.join(root, 'htpasswd')}`,
      '',
    ].join('\n');
    await writeFile(path.join(root, 'registry.yml'), config);
    const registry = spawn('docker-registry', ['serve', path.join(root, 'registry.yml')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    procs.push(registry);
    const registryLog = capture(registry);
    // The access log goes to stdout: all of it is kept in a file.
    const accessLogFile = path.join(root, 'registry-access.log');
    registry.stdout.pipe(createWriteStream(accessLogFile));

    await waitFor(
      'docker-registry',
      async () => {
        try {
          const res = await fetch(`http://${registryHost}/v2/`);
          return res.status === 401;
        } catch {
          return false;
        }
      },
      registry,
      registryLog,
    );
    await first.ready();
    let daemons = 0;
    const freshDaemon = async (): Promise<DockerDaemon> => {
      const next = startDockerd(path.join(root, `d${++daemons}`), procs);
      await next.ready();
      return { dockerHost: next.dockerHost, docker: next.docker, stop: next.stop };
    };
    return {
      dockerHost,
      registryHost,
      token,
      root,
      docker: dockerCmd,
      registryLog: () => readFile(accessLogFile, 'utf8'),
      freshDaemon,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
