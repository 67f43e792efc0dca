// Runs the docker CLI: streams its output line by line to the log, keeps the last lines for
// error messages, feeds secrets on stdin only. The command line is logged; it never holds a
// secret (callers pass secrets through `stdin` or, for build args, through `secretEnv`).
import { spawn } from 'node:child_process';
import type { Logger } from '../core/log.ts';
import { UserError } from '../core/errors.ts';

export interface DockerRunOptions {
  /** Environment for docker (DOCKER_CONFIG, DOCKER_HOST, ...), merged over process.env. */
  env: Record<string, string>;
  /** Values the command reads from its environment that must not be echoed (build args). */
  secretEnv?: Record<string, string>;
  stdin?: string;
  log: Logger;
  /** Log each output line with log.info (true) or log.debug (false). */
  stream?: boolean;
  signal?: AbortSignal;
  tailLines?: number;
}

export interface DockerResult {
  code: number;
  /** The last lines of stdout+stderr, for error messages. */
  tail: string[];
  /** Full stdout+stderr (bounded to the last 1 MiB). */
  output: string;
}

const OUTPUT_LIMIT = 1 << 20;

/** Quote an argument for the logged command line only. */
function shown(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function docker(args: string[], opts: DockerRunOptions): Promise<DockerResult> {
  const tailLines = opts.tailLines ?? 20;
  opts.log.info(`[command]docker ${args.map(shown).join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, {
      env: { ...process.env, ...opts.env, ...opts.secretEnv },
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: opts.signal,
    });
    const tail: string[] = [];
    let output = '';
    const partial = { out: '', err: '' };
    const line = (text: string) => {
      const clean = text.replace(/\r$/, '');
      tail.push(clean);
      if (tail.length > tailLines) tail.shift();
      if (opts.stream ?? true) opts.log.info(clean);
      else opts.log.debug(clean);
    };
    const onData = (key: 'out' | 'err') => (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      if (output.length > OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT);
      const lines = (partial[key] + text).split('\n');
      partial[key] = lines.pop() ?? '';
      for (const l of lines) line(l);
    };
    child.stdout.on('data', onData('out'));
    child.stderr.on('data', onData('err'));
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') {
        reject(
          new UserError(
            'build',
            'docker is not installed or not on PATH: the registry input builds an image with Docker ' +
              '(use a runner with Docker, or pass a prebuilt image with the image input)',
          ),
        );
      } else reject(err);
    });
    child.on('close', (code, sig) => {
      for (const key of ['out', 'err'] as const) if (partial[key] !== '') line(partial[key]);
      resolve({ code: code ?? (sig ? 128 : 1), tail, output });
    });
    child.stdin.on('error', () => {}); // docker may exit before reading stdin
    child.stdin.end(opts.stdin ?? '');
  });
}
