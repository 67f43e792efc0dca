// Runs the bundled action the way the GitHub runner does: `node <dist>/main/index.js` (or
// post) with INPUT_* variables (action.yml defaults filled in, as the runner does), and the
// GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY files in a fresh RUNNER_TEMP. The post
// step gets main's saved state as STATE_<name> variables, as the runner passes it.
//
// The bundles come from env WBVL_DIST (default `dist`, the committed bundles).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the bundles are: env WBVL_DIST, else the committed `dist`. */
export function distDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(REPO_ROOT, env.WBVL_DIST || 'dist');
}

/** Node 24 from the `node` dev dependency when present (the system node may be older). */
export function nodeBinary(): string {
  const local = path.join(REPO_ROOT, 'node_modules', '.bin', 'node');
  return existsSync(local) ? local : process.execPath;
}

export type Step = 'main' | 'post';

export function bundlePath(step: Step, dist = distDir()): string {
  const file = path.join(dist, step, 'index.js');
  if (!existsSync(file)) {
    throw new Error(
      `no bundle at ${file}: build it with \`npx node scripts/bundle.mjs DIR main post\` and set WBVL_DIST=DIR`,
    );
  }
  return file;
}

/** What the runner makes of an expression default outside a matrix. */
function expressionDefault(name: string, expression: string, githubToken: string): string {
  const known: Record<string, string> = {
    '${{ github.token }}': githubToken,
    // A job without a strategy has an empty matrix context, which toJSON prints as `null`.
    '${{ toJSON(matrix) }}': 'null',
  };
  const value = known[expression.trim()];
  if (value === undefined) throw new Error(`input ${name}: no test value for ${expression}`);
  return value;
}

/** The runner's defaults for inputs a workflow leaves out, from action.yml. */
export function actionDefaults(githubToken: string): Record<string, string> {
  const doc = parseYaml(readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: unknown }>;
  };
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(doc.inputs)) {
    if (spec.default === undefined) continue;
    const value = String(spec.default);
    out[name] = value.includes('${{') ? expressionDefault(name, value, githubToken) : value;
  }
  return out;
}

/**
 * Parses a GITHUB_OUTPUT / GITHUB_STATE file: `name<<DELIMITER\nvalue\nDELIMITER\n` entries
 * (and the legacy `name=value` lines). Every write is kept, in order.
 */
export function parseFileCommands(text: string): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]);
      if (i >= lines.length)
        throw new Error(`unterminated ${name}<<${delimiter} in a file command`);
      entries.push([name, value.join('\n')]);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`malformed file command line: ${JSON.stringify(line)}`);
    entries.push([line.slice(0, eq), line.slice(eq + 1)]);
  }
  return entries;
}

/** Last write wins, as the runner reads them. */
export function lastValues(entries: Array<[string, string]>): Record<string, string> {
  return Object.fromEntries(entries);
}

export interface ActionRunOptions {
  step?: Step;
  /** Input names as in action.yml (`queue-config`, `vertex-endpoint`, ...). */
  inputs: Record<string, string>;
  /** Extra environment (e.g. WB_VERTEX_LAUNCH_TIME_SCALE). Nothing of the test's own env leaks in. */
  env?: Record<string, string>;
  /** Main's saved state, for the post step (`STATE_<name>`). */
  state?: Record<string, string>;
  /** GITHUB_WORKSPACE; default the repository root (so `examples/...` paths resolve). */
  workspace?: string;
  /** RUNNER_TEMP; default a new temp dir. Pass main's to run post in the same job. */
  runnerTemp?: string;
  dist?: string;
  /** The process is killed with SIGKILL after this long. Default 20 s. */
  timeoutMs?: number;
  /** A command to start the step under, e.g. `['/usr/bin/time', '-v']` (benchmarks). */
  wrapper?: string[];
  /** Echo the step's stdout/stderr as it arrives (for demos). */
  echo?: (chunk: string) => void;
}

export interface ActionResult {
  /** Exit code; null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Outputs, last write of each. */
  outputs: Record<string, string>;
  /** Every output write, in order (job-state is written on each change). */
  outputWrites: Array<[string, string]>;
  /** Saved state, last write of each: what the runner hands the post step. */
  state: Record<string, string>;
  /** GITHUB_RUN_ID of the step (main and its post step share it). */
  runId: string;
  summary: string;
  runnerTemp: string;
  /** Wall time from spawn to exit, ms. */
  elapsedMs: number;
  /** When the process was spawned (Date.now()). */
  spawnedAt: number;
  /** `::error` lines of the log. */
  errors: string[];
}

export interface RunningAction {
  child: ChildProcess;
  runnerTemp: string;
  spawnedAt: number;
  /** stdout so far. */
  stdout(): string;
  /** Resolves once stdout matches `pattern` (rejects if the step exits first or after `timeoutMs`). */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** The outputs written so far (the GITHUB_OUTPUT file as it is now). */
  outputsNow(): Promise<Record<string, string>>;
  stateNow(): Promise<Record<string, string>>;
  kill(signal: NodeJS.Signals): void;
  done: Promise<ActionResult>;
}

const FIXED_GITHUB_ENV: Record<string, string> = {
  GITHUB_ACTIONS: 'true',
  CI: 'true',
  GITHUB_REPOSITORY: 'org/repo',
  GITHUB_REPOSITORY_OWNER: 'org',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_NUMBER: '7',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_WORKFLOW: 'train',
  GITHUB_JOB: 'train',
  GITHUB_ACTION: 'launch',
  GITHUB_ACTOR: 'octocat',
  GITHUB_EVENT_NAME: 'workflow_dispatch',
  GITHUB_SERVER_URL: 'https://github.com',
};

/** The github-token input's default in these runs (`${{ github.token }}`). */
export const TEST_GITHUB_TOKEN = 'ghs_testtoken0000000000000000000000000000';

let runCounter = 0;
/** The run id of each RUNNER_TEMP: a post step given main's runner temp is in main's run. */
const runIdOfRunnerTemp = new Map<string, string>();

/** Starts the step and returns at once; `done` settles when it exits. */
export async function startAction(opts: ActionRunOptions): Promise<RunningAction> {
  const step = opts.step ?? 'main';
  const script = bundlePath(step, opts.dist ?? distDir());
  const runnerTemp = opts.runnerTemp ?? (await mkdtemp(path.join(os.tmpdir(), 'wbvl-runner-')));
  const files = await mkdtemp(path.join(runnerTemp, `_runner_file_commands-${step}-`));
  const outputFile = path.join(files, 'output');
  const stateFile = path.join(files, 'state');
  const summaryFile = path.join(files, 'step_summary');
  await Promise.all([outputFile, stateFile, summaryFile].map((f) => writeFile(f, '')));

  const inputs = { ...actionDefaults(TEST_GITHUB_TOKEN), ...opts.inputs };
  // A distinct run id per job (runner temp) keeps launch labels apart, as separate workflow
  // runs are; main and its post step share theirs, as on GitHub.
  const runId = runIdOfRunnerTemp.get(runnerTemp) ?? String(4242 + ++runCounter);
  runIdOfRunnerTemp.set(runnerTemp, runId);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? os.homedir(),
    ...FIXED_GITHUB_ENV,
    GITHUB_RUN_ID: runId,
    GITHUB_WORKSPACE: opts.workspace ?? REPO_ROOT,
    RUNNER_TEMP: runnerTemp,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STATE: stateFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...opts.env,
  };
  for (const [name, value] of Object.entries(inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  for (const [name, value] of Object.entries(opts.state ?? {})) env[`STATE_${name}`] = value;

  const spawnedAt = Date.now();
  const argv = [...(opts.wrapper ?? []), nodeBinary(), script];
  const child = spawn(argv[0], argv.slice(1), {
    cwd: env.GITHUB_WORKSPACE,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    opts.echo?.(chunk);
    for (const l of listeners) l();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    opts.echo?.(chunk);
  });
  const timeout = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => {
        clearTimeout(timeout);
        for (const l of listeners) l();
        resolve({ code, signal });
      });
    },
  );
  let finished = false;
  void exited.then(
    () => (finished = true),
    () => (finished = true),
  );

  const read = async (file: string) => parseFileCommands(await readFile(file, 'utf8'));
  const done = exited.then(async ({ code, signal }): Promise<ActionResult> => {
    const outputWrites = await read(outputFile);
    return {
      code,
      signal,
      stdout,
      stderr,
      outputs: lastValues(outputWrites),
      outputWrites,
      state: lastValues(await read(stateFile)),
      runId: env.GITHUB_RUN_ID,
      summary: await readFile(summaryFile, 'utf8'),
      runnerTemp,
      elapsedMs: Date.now() - spawnedAt,
      spawnedAt,
      errors: stdout.split('\n').filter((l) => l.startsWith('::error')),
    };
  });

  return {
    child,
    runnerTemp,
    spawnedAt,
    stdout: () => stdout,
    waitForLog(pattern, timeoutMs = 10_000) {
      return new Promise<string>((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(stdout);
          if (m) return settle(() => resolve(m[0]));
          if (finished)
            settle(() =>
              reject(
                new Error(`the step exited before its log matched ${pattern}:\n${stdout}${stderr}`),
              ),
            );
        };
        const timer = setTimeout(
          () =>
            settle(() =>
              reject(new Error(`no log line matched ${pattern} in ${timeoutMs} ms:\n${stdout}`)),
            ),
          timeoutMs,
        );
        const settle = (fn: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          fn();
        };
        listeners.add(check);
        check();
      });
    },
    outputsNow: async () => lastValues(await read(outputFile)),
    stateNow: async () => lastValues(await read(stateFile)),
    kill: (signal) => void child.kill(signal),
    done,
  };
}

/** Runs the step to its end. */
export async function runAction(opts: ActionRunOptions): Promise<ActionResult> {
  return (await startAction(opts)).done;
}
