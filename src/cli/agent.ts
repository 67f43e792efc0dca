// `agent --queue ENTITY/QUEUE [--max-items N]`: the action's agent pass from a terminal or a
// cron job elsewhere, on the same code: the flags become the action's inputs. The W&B key comes
// from WANDB_API_KEY (never argv), a GitHub token for check runs from GITHUB_TOKEN. Prints each
// item's outcome as JSON on stdout; the log goes to stderr.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { cloudCredentials } from '../cloud/connect.ts';
import { UserError, errorMessage } from '../core/errors.ts';
import { giveInputs, readLaunchContext } from '../github/inputs.ts';
import { runAgentPass, type AgentIo } from '../phases/agent/index.ts';
import { stderrLog } from './jobs.ts';
import type { PlanIo } from './plan.ts';
import { AGENT_USAGE } from './usage.ts';

const FLAGS = {
  queue: { type: 'string' },
  'max-items': { type: 'string' },
  project: { type: 'string' },
  region: { type: 'string' },
  'vertex-endpoint': { type: 'string' },
  'wandb-entity': { type: 'string' },
  'wandb-project': { type: 'string' },
  'wandb-base-url': { type: 'string' },
  wait: { type: 'boolean' },
  'wait-timeout': { type: 'string' },
} as const;

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, strict: true, options: FLAGS }).values;
  } catch (err) {
    throw new UserError('inputs', `${errorMessage(err)}\n${AGENT_USAGE}`);
  }
}

/** Inside a GitHub workflow the runner reads commands on stderr too: they are off meanwhile. */
function printUntrustedTo(io: PlanIo, lines: string[]): void {
  const github = io.env.GITHUB_ACTIONS === 'true';
  const token = randomUUID();
  if (github) io.stderr(`::stop-commands::${token}\n`);
  for (const line of lines) io.stderr(`${line}\n`);
  if (github) io.stderr(`::${token}::\n`);
}

export async function runAgent(argv: string[], io: PlanIo): Promise<void> {
  const flags = parse(argv);
  if (!flags.queue)
    throw new UserError('inputs', `agent needs --queue ENTITY/QUEUE\n${AGENT_USAGE}`);
  if (!io.env.WANDB_API_KEY)
    throw new UserError('inputs', `agent needs WANDB_API_KEY in the environment\n${AGENT_USAGE}`);
  const inputs: Record<string, string | undefined> = {
    agent: 'true',
    'wandb-queue': flags.queue,
    'agent-max-items': flags['max-items'],
    project: flags.project,
    region: flags.region,
    'vertex-endpoint': flags['vertex-endpoint'],
    'wandb-entity': flags['wandb-entity'] ?? io.env.WANDB_ENTITY,
    'wandb-project': flags['wandb-project'] ?? io.env.WANDB_PROJECT,
    'wandb-base-url': flags['wandb-base-url'] ?? io.env.WANDB_BASE_URL,
    'wandb-api-key': io.env.WANDB_API_KEY,
    wait: flags.wait ? 'true' : 'false',
    'wait-timeout': flags['wait-timeout'],
    'github-token': io.env.GITHUB_TOKEN,
    'check-run': io.env.GITHUB_TOKEN ? 'true' : 'false',
    'job-summary': 'false',
  };
  giveInputs(inputs);
  const ctx = await readLaunchContext(process.cwd());
  const log = stderrLog(io);
  const agentIo: AgentIo = {
    log,
    mask: () => {},
    printUntrusted: (lines) => printUntrustedTo(io, lines),
    credentials: () => cloudCredentials(ctx, { env: io.env, setSecret: () => {}, log }),
  };
  const { outcomes, error } = await runAgentPass(ctx, io.env, agentIo);
  io.stdout(`${JSON.stringify({ queue: flags.queue, items: outcomes }, null, 2)}\n`);
  if (error) throw error;
}
