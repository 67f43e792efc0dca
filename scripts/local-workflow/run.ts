// Runs one job of a workflow file on this machine, step by step, as GitHub's runner would:
// `run:` steps in bash with the GITHUB_ENV, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and
// `uses: ./` with this action's bundles (its post step at the end of the job, as the runner
// does). The set-up steps (checkout, setup-node, npm ci) are what this checkout already is.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { lastValues, parseFileCommands, runAction } from '../../__tests__/helpers/action-runner.ts';
import { condition, interpolate } from './expressions.ts';
import type { ExpressionContext, StepRecord } from './expressions.ts';

interface WorkflowStep {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  'continue-on-error'?: boolean;
}

interface Workflow {
  env?: Record<string, unknown>;
  jobs: Record<string, { env?: Record<string, unknown>; steps: WorkflowStep[] }>;
}

const SET_UP_ACTIONS = /^actions\/(checkout|setup-node)@/;
const SET_UP_COMMANDS = ['npm ci'];

export interface JobRun {
  ok: boolean;
  /** `✓ name`, `✗ name`, `- name (skipped: why)`, in order. */
  lines: string[];
  steps: Record<string, StepRecord>;
}

const strings = (values: Record<string, unknown> | undefined) =>
  Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, String(v)]));

/** The action's log, line by line, indented under its step. */
function indented(log: (line: string) => void): (chunk: string) => void {
  let pending = '';
  return (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) log(`  ${line}`);
  };
}

function stepName(step: WorkflowStep): string {
  return step.name ?? (step.uses ? `Run ${step.uses}` : `Run ${step.run?.split('\n')[0]}`);
}

export async function runJob(
  workflowFile: string,
  jobName: string | undefined,
  log: (line: string) => void = (line) => console.log(line),
): Promise<JobRun> {
  const workflow = parse(readFileSync(workflowFile, 'utf8')) as Workflow;
  const jobNames = Object.keys(workflow.jobs);
  const name = jobName ?? (jobNames.length === 1 ? jobNames[0] : undefined);
  if (!name || !workflow.jobs[name]) {
    throw new Error(`name the job to run: ${jobNames.join(', ')}`);
  }
  const job = workflow.jobs[name];
  const workspace = resolve('.');
  const temp = mkdtempSync(join(tmpdir(), 'wbvl-local-run-'));
  const githubEnvFile = join(temp, 'github_env');
  writeFileSync(githubEnvFile, '');
  const ctx: ExpressionContext = {
    env: {},
    steps: {},
    runner: { temp },
    github: { workspace },
    jobStatus: 'success',
  };
  const lines: string[] = [];
  const posts: { name: string; state: Record<string, string>; env: Record<string, string> }[] = [];
  const baseEnv = { ...strings(workflow.env), ...strings(job.env) };

  const finish = (step: WorkflowStep, key: string, record: StepRecord) => {
    ctx.steps[key] = record;
    if (record.conclusion === 'failure') ctx.jobStatus = 'failure';
    const mark = record.outcome === 'skipped' ? '-' : record.outcome === 'success' ? '✓' : '✗';
    const note =
      record.outcome === 'failure' && record.conclusion === 'success'
        ? ' (failed; continue-on-error)'
        : '';
    lines.push(`${mark} ${stepName(step)}${note}`);
  };

  try {
    for (const [index, step] of job.steps.entries()) {
      const key = step.id ?? `__step${index}`;
      // The env context: workflow and job env, what earlier steps wrote to GITHUB_ENV, the step's.
      ctx.env = {
        ...baseEnv,
        ...lastValues(parseFileCommands(readFileSync(githubEnvFile, 'utf8'))),
        ...strings(step.env),
      };
      const stepEnv = Object.fromEntries(
        Object.entries(ctx.env).map(([k, v]) => [k, interpolate(v, ctx)]),
      );
      const skipped = (why: string): StepRecord => {
        lines.push(`- ${stepName(step)} (skipped: ${why})`);
        return { outcome: 'skipped', conclusion: 'skipped', outputs: {} };
      };
      if (!condition(step.if, ctx)) {
        ctx.steps[key] = skipped(`if: ${step.if ?? 'success()'}`);
        continue;
      }
      if (step.uses && SET_UP_ACTIONS.test(step.uses)) {
        ctx.steps[key] = skipped('this checkout and this Node');
        continue;
      }
      if (step.run && SET_UP_COMMANDS.includes(step.run.trim())) {
        ctx.steps[key] = skipped('this checkout is installed');
        continue;
      }
      log(`\n▶ ${stepName(step)}`);
      let record: StepRecord;
      if (step.uses === './') {
        const inputs = Object.fromEntries(
          Object.entries(strings(step.with)).map(([k, v]) => [k, interpolate(v, ctx)]),
        );
        const result = await runAction({
          inputs,
          env: { ...stepEnv, GITHUB_ENV: githubEnvFile },
          runnerTemp: temp,
          workspace,
          timeoutMs: 180_000,
          echo: indented(log),
        });
        posts.push({ name: stepName(step), state: result.state, env: stepEnv });
        const ok = result.code === 0;
        record = {
          outcome: ok ? 'success' : 'failure',
          conclusion: ok || step['continue-on-error'] ? 'success' : 'failure',
          outputs: result.outputs,
        };
      } else if (step.run !== undefined) {
        const script = join(temp, `step-${index}.sh`);
        const outputFile = join(temp, `step-${index}.output`);
        writeFileSync(script, interpolate(step.run, ctx));
        writeFileSync(outputFile, '');
        const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
          cwd: workspace,
          stdio: 'inherit',
          env: {
            ...process.env,
            CI: 'true',
            GITHUB_ACTIONS: 'true',
            GITHUB_WORKSPACE: workspace,
            RUNNER_TEMP: temp,
            GITHUB_ENV: githubEnvFile,
            GITHUB_OUTPUT: outputFile,
            GITHUB_STEP_SUMMARY: join(temp, 'step_summary'),
            ...stepEnv,
          },
        });
        const ok = run.status === 0;
        record = {
          outcome: ok ? 'success' : 'failure',
          conclusion: ok || step['continue-on-error'] ? 'success' : 'failure',
          outputs: lastValues(parseFileCommands(readFileSync(outputFile, 'utf8'))),
        };
      } else {
        throw new Error(`step "${stepName(step)}": the local run cannot run uses: ${step.uses}`);
      }
      finish(step, key, record);
    }
    // The runner runs post steps last, newest first; post-if defaults to always().
    for (const post of posts.reverse()) {
      log(`\n▶ Post ${post.name}`);
      const result = await runAction({
        step: 'post',
        inputs: {},
        state: post.state,
        env: post.env,
        runnerTemp: temp,
        workspace,
        echo: indented(log),
      });
      if (result.code !== 0) ctx.jobStatus = 'failure';
      lines.push(`${result.code === 0 ? '✓' : '✗'} Post ${post.name}`);
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return { ok: ctx.jobStatus === 'success', lines, steps: ctx.steps };
}
