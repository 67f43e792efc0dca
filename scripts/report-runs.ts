// Real runs of the bundled action on a pull request against the local stand-ins (Vertex AI,
// Cloud Logging, W&B, GitHub), and what each leaves on GitHub: its job summary, its check run,
// and the PR comment as it stands after it. The W&B run of every job is there (a synthetic
// training run), and the base branch has a succeeded launch whose run is the baseline.
// scripts/report-examples.ts writes docs/examples from these runs; the rendering test renders
// them as GitHub does.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type ActionResult } from '../__tests__/helpers/action-runner.ts';
import {
  startGitHubEmulator,
  type CheckRun,
  type GitHubEmulator,
} from '../emulators/github/emulator.ts';
import { startLoggingEmulator, type LoggingEmulator } from '../emulators/logging/emulator.ts';
import type { LogScript, ScriptedEntry } from '../emulators/logging/scripts.ts';
import { namedScript } from '../emulators/logging/scripts.ts';
import { startVertexEmulator, type VertexEmulator } from '../emulators/vertex/emulator.ts';
import { startWandbForVertex } from '../emulators/wandb/for-vertex.ts';
import type { WandbEmulator } from '../emulators/wandb/emulator.ts';

const REPOSITORY = 'octo-org/trainer';
const PR = 17;
const HEAD_SHA = 'd6fde92930d4715a2b49857d24b940956b26d2d3';
const PROJECT = 'my-project-123';
const WANDB_WHERE = { entity: 'octo-ml', project: 'resnet' };
const IMAGE = `us-central1-docker.pkg.dev/${PROJECT}/trainers/trainer@sha256:4f5a0c0e8a3f1b1c9d2e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d`;

export interface ReportRun {
  result: ActionResult;
  summary: string;
  checkRun: CheckRun;
  /** The workflow job's PR comment after this run. */
  comment: string;
}

export interface ReportRunOptions {
  fail?: boolean;
  /** The workflow run: matrix legs share it. */
  runId: string;
  /** Matrix values (`{ lr: '0.01' }`): the leg's name in the check run and comment. */
  matrix?: Record<string, string>;
  /** The workflow job (default `train`): each has its own PR comment. */
  job?: string;
}

export interface ReportWorld {
  run(options: ReportRunOptions): Promise<ReportRun>;
  /** The W&B stand-in's address, which reports show as https://wandb.ai. */
  wandbUrl: string;
  close(): Promise<void>;
}

/**
 * A Vertex job is RUNNING after 2 ticks and ends after 4; its log lines come in between, timed
 * from the first log read. A second a tick leaves that read a second and more to be late on a
 * busy machine before the last lines miss the step's final drain.
 */
const DEFAULT_TICK_MS = 1000;

/** A crash with a traceback deep enough that the report's tail is not the whole excerpt. */
function crashScript(tickMs: number): LogScript {
  const t = (ticks: number) => Math.round(ticks * tickMs);
  const lines = [
    'Loading dataset gs://my-bucket/train (50,000 examples)',
    ...Array.from(
      { length: 8 },
      (_, i) => `epoch 1  step ${(i + 1) * 50}/400  loss=${(2.1 - i * 0.1).toFixed(4)}`,
    ),
    'Evaluating on gs://my-bucket/val',
    'Traceback (most recent call last):',
    '  File "/app/train.py", line 88, in <module>',
    '    main()',
    '  File "/app/train.py", line 71, in main',
    '    evaluate(model, val_loader, config)',
    '  File "/app/train.py", line 42, in evaluate',
    '    scheduler.step(lr=config["lr"])',
    "KeyError: 'lr'",
  ];
  const entries: ScriptedEntry[] = [
    { at: t(2.05), replica: null, text: 'Job is running.' },
    ...lines.map((text, i) => ({
      at: t(2.1 + i * 0.05),
      replica: 'workerpool0-0',
      text,
      ...(i >= 10 ? { stream: 'stderr' as const } : {}),
    })),
    {
      at: t(3.9),
      replica: null,
      severity: 'ERROR',
      text: 'The replica workerpool0-0 exited with a non-zero status of 1.',
    },
  ];
  return { entries, lateMs: t(0.05) };
}

async function eventFile(dir: string): Promise<string> {
  const file = join(dir, 'event.json');
  await writeFile(
    file,
    JSON.stringify({
      action: 'synchronize',
      number: PR,
      pull_request: {
        number: PR,
        head: { sha: HEAD_SHA, ref: 'feature' },
        base: { ref: 'main' },
      },
      repository: { full_name: REPOSITORY },
    }),
  );
  return file;
}

/** The launch from main that an earlier run of the action left: its W&B run is the baseline. */
function seedBaseBranchLaunch(vertex: VertexEmulator): void {
  vertex.seedJob({
    parent: `projects/${PROJECT}/locations/us-central1`,
    customJob: {
      displayName: `${REPOSITORY} train #57`,
      jobSpec: { workerPoolSpecs: [] },
      labels: {
        'managed-by': 'wb-vertex-launch',
        'github-repository': REPOSITORY.replace('/', '_'),
        'github-ref': 'main',
        'wandb-run-id': 'base0001',
      },
    },
    agoMs: 86_400_000,
    tickMs: 1,
  });
}

export async function startReportWorld(
  dist?: string,
  tickMs = DEFAULT_TICK_MS,
): Promise<ReportWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'wbvl-report-runs-'));
  const event = await eventFile(dir);
  const vertex = await startVertexEmulator({ tickMs });
  const logging: LoggingEmulator = await startLoggingEmulator();
  const github: GitHubEmulator = await startGitHubEmulator();
  const { wandb, inputs: wandbInputs }: { wandb: WandbEmulator; inputs: Record<string, string> } =
    await startWandbForVertex(vertex, WANDB_WHERE);
  seedBaseBranchLaunch(vertex);
  return {
    wandbUrl: wandb.url,
    async run({ fail = false, runId, matrix, job = 'train' }) {
      vertex.queueScenarios(fail ? 'fail' : 'succeed');
      // The next job the logging stand-in sees is this run's, whatever the last run read.
      logging.reset();
      logging.queueScripts(fail ? crashScript(tickMs) : namedScript('train', tickMs));
      const before = new Set(github.checkRuns.keys());
      const result = await runAction({
        dist,
        inputs: {
          'queue-config': 'examples/queue-config.yaml',
          project: PROJECT,
          region: 'us-central1',
          image: IMAGE,
          'vertex-endpoint': `http://${vertex.grpcAddress}`,
          'logging-endpoint': `http://${logging.grpcAddress}`,
          ...wandbInputs,
          'wandb-baseline': 'base-branch',
          'wandb-entity': WANDB_WHERE.entity,
          'wandb-project': WANDB_WHERE.project,
          'github-token': 'example-token',
          'pr-comment': 'true',
          ...(matrix ? { matrix: JSON.stringify(matrix, null, 2) } : {}),
        },
        env: {
          GITHUB_API_URL: github.url,
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: event,
          GITHUB_REPOSITORY: REPOSITORY,
          GITHUB_REPOSITORY_OWNER: REPOSITORY.split('/')[0],
          GITHUB_REF: `refs/pull/${PR}/merge`,
          GITHUB_HEAD_REF: 'feature',
          GITHUB_SHA: '5e1a1bd0b1d0fd7ae7b6b2c0b6e3c6a9d4f1e2a3',
          GITHUB_RUN_ID: runId,
          GITHUB_JOB: job,
          GITHUB_RUN_NUMBER: '58',
          WB_VERTEX_LAUNCH_TIME_SCALE: '0.01',
        },
        timeoutMs: 60_000,
      });
      const checkRun = [...github.checkRuns.values()].find((c) => !before.has(c.id));
      if (!checkRun) throw new Error(`the run made no check run:\n${result.stdout}`);
      const marker = `<!-- wb-vertex-launch:train:${encodeURIComponent(job)} -->`;
      const comment =
        [...github.comments.values()].find((c) => c.issue === PR && c.body.startsWith(marker))
          ?.body ?? '';
      return { result, summary: result.summary, checkRun, comment };
    },
    async close() {
      await Promise.all([github.close(), vertex.stop(), logging.stop(), wandb.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A check run as its page on GitHub reads: the title as a heading, the summary, the text. */
export function checkRunPage(checkRun: CheckRun): string {
  const { title = '', summary = '', text = '' } = checkRun.output;
  return [`## ${title}`, summary, text].filter(Boolean).join('\n\n');
}
