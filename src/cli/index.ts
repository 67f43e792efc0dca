// wb-vertex-launch: the action's phases from a terminal. Verbs share the action's code.
import { formatProblem, UserError } from '../core/errors.ts';
import { PLAN_USAGE, runPlan } from './plan.ts';
import { runnerSafe } from './runner-output.ts';
import { AGENT_USAGE, JOB_USAGE, LOGS_USAGE, RECONCILE_USAGE } from './usage.ts';

/** Messages quote Vertex errors and API answers: inert for a runner that reads them. */
const stderr = runnerSafe((t) => process.stderr.write(t), process.env);

const USAGE = `usage: wb-vertex-launch <verb> [options]
verbs:
  plan     print the CreateCustomJobRequest a queue config resolves to
  launch   submit it (exactly once), optionally follow it (--wait)
  status   print a job's state
  cancel   cancel a job
  logs     print a job's log entries, or follow them (--follow)
  reconcile  complete the reports of ended jobs their step left running
  agent    one pass of a W&B Launch agent over a queue
${PLAN_USAGE.replace(/^/gm, '  ')}
${JOB_USAGE.replace(/^/gm, '  ')}
${LOGS_USAGE.replace(/^/gm, '  ')}
${RECONCILE_USAGE.replace(/^/gm, '  ')}
${AGENT_USAGE.replace(/^/gm, '  ')}`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  const io = {
    stdout: (t: string) => process.stdout.write(t),
    stderr,
    env: process.env,
    readStdin,
  };
  switch (verb) {
    case 'plan':
      await runPlan(rest, io);
      return 0;
    // The Vertex and Google auth clients load only for the verbs that call them.
    case 'launch':
      await (await import('./jobs.ts')).runLaunch(rest, io);
      return 0;
    case 'status':
    case 'cancel':
      await (await import('./jobs.ts')).runJobVerb(verb, rest, io);
      return 0;
    case 'reconcile':
      await (await import('./reconcile.ts')).runReconcile(rest, io);
      return 0;
    case 'agent':
      await (await import('./agent.ts')).runAgent(rest, io);
      return 0;
    case 'logs':
      await (await import('./logs.ts')).runLogs(rest, io);
      return 0;
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return verb === undefined ? 1 : 0;
    default:
      throw new UserError('inputs', `unknown verb "${verb}"\n${USAGE}`);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof UserError) {
    stderr(`wb-vertex-launch: ${err.phase}: ${err.message}\n`);
    for (const problem of err.problems) stderr(`  ${formatProblem(problem)}\n`);
  } else {
    stderr(`wb-vertex-launch: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
  }
  process.exitCode = 1;
}
