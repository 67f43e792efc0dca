// `wb-vertex-launch plan`: the request the action would submit, printed as proto3 JSON.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { UserError, errorMessage } from '../core/errors.ts';
import type { Problem } from '../core/errors.ts';
import { parseKeyValueLines } from '../core/keyvalue.ts';
import { compileQueueConfig } from '../core/queue-config/compile.ts';
import { redactSecrets } from '../core/redact.ts';
import { generateWandbRunId } from '../core/wandb.ts';
import { githubRunInfoFromEnv } from '../github/run-info.ts';
import { commandSafeJson } from '../core/untrusted-text.ts';

export const PLAN_USAGE = `usage: wb-vertex-launch plan --queue-config FILE --project P --region R [--image URI]
       [--var K=V]... [--label K=V]... [--env K=V]... [--display-name N]
       [--wandb-project P] [--wandb-entity E] [--wandb-base-url URL]
Prints the CreateCustomJobRequest as proto3 JSON. FILE may be - for standard input.
WANDB_API_KEY is read from the environment, never from a flag.`;

export interface PlanIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  readStdin: () => Promise<string>;
}

async function readConfig(file: string, io: PlanIo): Promise<string> {
  if (file === '-') return io.readStdin();
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(
      'inputs',
      `--queue-config: cannot read ${file}${code === 'ENOENT' ? ': no such file' : `: ${code}`}`,
    );
  }
}

/** The compiler's input names (action inputs) as this command's flags. */
const FLAG_OF: Record<string, string> = {
  project: '--project',
  region: '--region',
  vars: '--var',
  labels: '--label',
  env: '--env',
  'display-name': '--display-name',
};

function asFlag(problem: Problem): Problem {
  const flag = problem.file === undefined && problem.path ? FLAG_OF[problem.path] : undefined;
  return flag ? { ...problem, path: flag } : problem;
}

type ExtraOptions = Record<string, { type: 'string' | 'boolean' }>;

/** Parses plan's flags (plus `extra`) and compiles the queue config; `launch` shares it. */
export async function compileFromArgs(
  argv: string[],
  io: PlanIo,
  extra: ExtraOptions = {},
  usage = PLAN_USAGE,
) {
  let args;
  try {
    args = parseArgs({
      args: argv,
      strict: true,
      options: {
        ...extra,
        'queue-config': { type: 'string' },
        project: { type: 'string' },
        region: { type: 'string' },
        image: { type: 'string' },
        var: { type: 'string', multiple: true },
        label: { type: 'string', multiple: true },
        env: { type: 'string', multiple: true },
        'display-name': { type: 'string' },
        'wandb-project': { type: 'string' },
        'wandb-entity': { type: 'string' },
        'wandb-base-url': { type: 'string' },
      },
    }).values;
  } catch (err) {
    throw new UserError('inputs', `${errorMessage(err)}\n${usage}`);
  }
  const file = args['queue-config'] as string | undefined;
  if (!file) throw new UserError('inputs', `--queue-config is required\n${usage}`);
  const text = await readConfig(file, io);

  const problems: Problem[] = [];
  const list = (name: string, values: string[] | undefined) => {
    const parsed = parseKeyValueLines(values ?? [], `--${name}`);
    problems.push(...parsed.problems);
    return parsed.values;
  };
  const vars = list('var', args.var);
  const labels = list('label', args.label);
  const env = list('env', args.env);

  const result = compileQueueConfig({
    source: { text, origin: file === '-' ? '<stdin>' : file },
    project: args.project,
    region: args.region,
    image: args.image,
    imageInput: 'image',
    vars,
    env,
    labels,
    displayName: args['display-name'],
    wandb: {
      project: args['wandb-project'],
      entity: args['wandb-entity'],
      baseUrl: args['wandb-base-url'],
      apiKey: io.env.WANDB_API_KEY || undefined,
    },
    wandbRunId: generateWandbRunId(randomBytes),
    github: githubRunInfoFromEnv(io.env),
    now: new Date(),
  });
  if (problems.length > 0 || !result.ok) {
    // Every problem at once; the compiler names action inputs, which are flags here.
    const all = [...problems, ...(result.ok ? [] : result.problems.map(asFlag))];
    if (problems.length > 0) throw new UserError('inputs', 'invalid arguments', all);
    throw new UserError('queue-config', 'the queue config is not valid', all);
  }
  for (const warning of result.launch.warnings) io.stderr(`warning: ${warning}\n`);
  return {
    args: args as Record<string, string | boolean | string[] | undefined>,
    launch: result.launch,
  };
}

export async function runPlan(argv: string[], io: PlanIo): Promise<void> {
  const { launch } = await compileFromArgs(argv, io);
  const printable = redactSecrets(launch.request, launch.secrets);
  io.stdout(`${commandSafeJson(printable)}\n`);
}
