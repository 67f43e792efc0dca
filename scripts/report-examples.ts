// Renders what users see on GitHub from real runs of the bundled action against the local
// Vertex AI, Cloud Logging, W&B and GitHub emulators: the job summary, the check run and the PR
// comment of a succeeding and a failing job (with its last log lines), and the PR comment of a
// job whose W&B run (W&B stand-in) is compared with the newest succeeded launch from main.
// Writes docs/examples/*.md.
// Usage: node scripts/report-examples.ts [DIST_DIR]
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startGitHubEmulator } from '../emulators/github/emulator.ts';
import { startLoggingEmulator } from '../emulators/logging/emulator.ts';
import { namedScript } from '../emulators/logging/scripts.ts';
import { startVertexEmulator } from '../emulators/vertex/emulator.ts';
import { startWandbForVertex } from '../emulators/wandb/for-vertex.ts';

const dist = resolve(process.argv[2] ?? 'dist');
const outDir = 'docs/examples';
const repository = 'octo-org/trainer';
const headSha = 'd6fde92930d4715a2b49857d24b940956b26d2d3';

async function runAction(
  vertexAddress: string,
  loggingAddress: string,
  githubUrl: string,
  runId: string,
  extraInputs: Record<string, string> = {},
): Promise<{ summary: string; log: string }> {
  const temp = await mkdtemp(join(tmpdir(), 'wbvl-example-'));
  const files = {
    out: join(temp, 'out'),
    state: join(temp, 'state'),
    summary: join(temp, 'summary'),
    event: join(temp, 'event.json'),
  };
  for (const file of [files.out, files.state, files.summary]) await writeFile(file, '');
  await writeFile(
    files.event,
    JSON.stringify({
      number: 17,
      pull_request: { number: 17, head: { sha: headSha }, base: { ref: 'main' } },
    }),
  );
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_WORKSPACE: process.cwd(),
    RUNNER_TEMP: temp,
    GITHUB_OUTPUT: files.out,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_API_URL: githubUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: repository,
    GITHUB_SHA: '5e1a1bd0b1d0fd7ae7b6b2c0b6e3c6a9d4f1e2a3',
    GITHUB_RUN_ID: runId,
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_NUMBER: '58',
    GITHUB_WORKFLOW: 'train',
    GITHUB_JOB: 'train',
    GITHUB_ACTION: 'launch',
    GITHUB_ACTOR: 'octocat',
    WB_VERTEX_LAUNCH_TIME_SCALE: '0.01',
    'INPUT_QUEUE-CONFIG': 'examples/queue-config.yaml',
    INPUT_PROJECT: 'my-project-123',
    INPUT_REGION: 'us-central1',
    INPUT_IMAGE:
      'us-central1-docker.pkg.dev/my-project-123/trainers/trainer@sha256:4f5a0c0e8a3f1b1c9d2e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d',
    'INPUT_VERTEX-ENDPOINT': `http://${vertexAddress}`,
    'INPUT_LOGGING-ENDPOINT': `http://${loggingAddress}`,
    'INPUT_WANDB-PROJECT': 'resnet',
    'INPUT_WANDB-ENTITY': 'octo-ml',
    'INPUT_GITHUB-TOKEN': 'example-token',
    'INPUT_PR-COMMENT': 'true',
    'INPUT_CHECK-RUN': 'true',
    ...Object.fromEntries(
      Object.entries(extraInputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
    ),
  };
  const child = spawn(process.execPath, [join(dist, 'main/index.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  await new Promise((done) => child.on('close', done));
  return { summary: await readFile(files.summary, 'utf8'), log };
}

/** The succeeded job's summary, without its folded request, between the README's markers. */
async function showInReadme(summary: string): Promise<void> {
  const shown = summary.replace(/<details>[\s\S]*?<\/details>\s*/g, '').trim();
  const readme = await readFile('README.md', 'utf8');
  const updated = readme.replace(
    /(<!-- example-summary -->\n)[\s\S]*?(<!-- \/example-summary -->)/,
    (_m, open: string, close: string) =>
      `${open}<!-- prettier-ignore-start -->\n> ${shown.split('\n').join('\n> ')}\n<!-- prettier-ignore-end -->\n${close}`,
  );
  await writeFile('README.md', updated);
}

const vertex = await startVertexEmulator({ tickMs: 1500 });
const logging = await startLoggingEmulator();
const github = await startGitHubEmulator();
const { wandb, inputs: wandbInputs } = await startWandbForVertex(vertex, {
  entity: 'octo-ml',
  project: 'resnet',
});
await mkdir(outDir, { recursive: true });
try {
  for (const scenario of ['succeed', 'fail']) {
    vertex.queueScenarios(scenario);
    logging.queueScripts(namedScript(scenario === 'succeed' ? 'train' : 'crash', 1500));
    const before = github.checkRuns.size;
    const { summary } = await runAction(
      vertex.grpcAddress,
      logging.grpcAddress,
      github.url,
      scenario === 'succeed' ? '7301' : '7302',
    );
    const checkRun = [...github.checkRuns.values()][before];
    const name = scenario === 'succeed' ? 'succeeded' : 'failed';
    await writeFile(join(outDir, `job-summary-${name}.md`), summary);
    const checkRunPage = [
      `# Check run: ${checkRun?.name ?? '(none)'}`,
      '',
      `Status \`${checkRun?.status}\`, conclusion \`${checkRun?.conclusion}\`, on \`${checkRun?.head_sha}\`.`,
      '',
      `## ${checkRun?.output.title ?? ''}`,
      '',
      checkRun?.output.summary ?? '',
      '',
      checkRun?.output.text ? `## Details\n\n${checkRun.output.text}` : '',
      checkRun?.annotations.length
        ? `## Annotations\n\n\`\`\`json\n${JSON.stringify(checkRun.annotations, null, 2)}\n\`\`\``
        : '',
    ].join('\n');
    await writeFile(join(outDir, `check-run-${name}.md`), `${checkRunPage.trim()}\n`);
  }
  const comment = [...github.comments.values()].at(-1);
  await writeFile(join(outDir, 'pr-comment.md'), `${comment?.body ?? ''}\n`);
  await writeMetricsComment();
  await showInReadme(await readFile(join(outDir, 'job-summary-succeeded.md'), 'utf8'));
  console.log(`wrote ${outDir}/`);
} finally {
  await github.close();
  await vertex.stop();
  await logging.stop();
  await wandb.close();
}

/**
 * A launch from main (seeded, as an earlier run of the action would have left it) and the PR's
 * launch with a W&B key: the comment then shows the metrics table and the charts. Links to the
 * W&B stand-in are written as wandb.ai links, as they read against W&B itself.
 */
async function writeMetricsComment(): Promise<void> {
  vertex.seedJob({
    parent: 'projects/my-project-123/locations/us-central1',
    customJob: {
      displayName: 'octo-org/trainer train #57',
      jobSpec: { workerPoolSpecs: [] },
      labels: {
        'managed-by': 'wb-vertex-launch',
        'github-repository': 'octo-org_trainer',
        'github-ref': 'main',
        'wandb-run-id': 'base0001',
      },
    },
    agoMs: 86_400_000,
    tickMs: 1,
  });
  vertex.queueScenarios('succeed');
  logging.queueScripts(namedScript('train', 1500));
  const inputs = { ...wandbInputs, 'wandb-baseline': 'base-branch' };
  await runAction(vertex.grpcAddress, logging.grpcAddress, github.url, '7303', inputs);
  const comment = [...github.comments.values()].at(-1)?.body ?? '';
  const shown = comment.replaceAll(wandb.url, 'https://wandb.ai');
  await writeFile(join(outDir, 'pr-comment-metrics.md'), `${shown}\n`);
}
