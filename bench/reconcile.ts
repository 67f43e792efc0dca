// Benchmark of `reconcile: true` through the bundled action: 200 launched jobs of which 50 have
// ended, their check runs still in progress (launched with wait: false), against the Vertex
// emulator and the GitHub REST stand-in. Counts the Vertex calls (ListCustomJobs pages, never
// one Get per job) and the GitHub calls by kind, for a reconcile and for a second one right
// after (which must change nothing), in two topologies:
//   matrix: 20 pull-request pushes, each a 10-leg matrix on its own commit (a sweep per push);
//   serial: 200 scheduled runs, one job per commit, no pull requests;
// each with `actions: read` (the last successful reconcile, 4 hours ago, is the watermark) and
// without it (every ended job of the last 14 days is looked up on its commit).
//
//   npx node bench/reconcile.ts [--jobs 200] [--ended 50]
// Bundles from env WBVL_DIST (default dist).
import { parseArgs } from 'node:util';
import {
  ACTIONS_BOT,
  startGitHubEmulator,
  type GitHubEmulator,
} from '../emulators/github/emulator.ts';
import { startVertexEmulator, type VertexEmulator } from '../emulators/vertex/emulator.ts';
import { commentEntry, commentMarker, renderComment } from '../src/core/report/index.ts';
import { runAction } from '../__tests__/helpers/action-runner.ts';

const { values } = parseArgs({
  options: { jobs: { type: 'string', default: '200' }, ended: { type: 'string', default: '50' } },
});
const TOTAL = Number(values.jobs);
const ENDED = Number(values.ended);
const PARENT = 'projects/my-proj-1/locations/us-central1';

interface Topology {
  name: string;
  /** Jobs per commit (matrix legs of one push). */
  legs: number;
  pullRequests: boolean;
}

const sha = (i: number) => i.toString(16).padStart(40, 'a');

function seed(vertex: VertexEmulator, github: GitHubEmulator, t: Topology): void {
  let checkRunId = 1;
  for (let run = 0; run < TOTAL / t.legs; run++) {
    const pr = 100 + run;
    const entries = [];
    for (let leg = 0; leg < t.legs; leg++) {
      const n = run * t.legs + leg;
      // The oldest jobs are the ones that have ended: hours ago, against minutes for the rest.
      const hasEnded = n < ENDED;
      const labels: Record<string, string> = {
        'managed-by': 'wb-vertex-launch',
        'github-repository': 'org_repo',
        'github-run-id': String(5000 + run),
        'github-run-attempt': '1',
        'github-sha': sha(run),
        'github-head-sha': sha(run),
        'wb-vertex-launch-wait': 'detached',
        'wandb-run-id': `run${n}`,
        ...(t.pullRequests ? { 'github-pr': String(pr) } : {}),
        'github-check-run': String(checkRunId),
      };
      const name = vertex.seedJob({
        parent: PARENT,
        customJob: {
          displayName: `org/repo train #${run} (${leg})`,
          labels,
          jobSpec: {
            workerPoolSpecs: [
              {
                machineSpec: { machineType: 'n1-standard-4' },
                replicaCount: '1',
                containerSpec: { imageUri: 'us-docker.pkg.dev/p/r/t@sha256:' + 'b'.repeat(64) },
              },
            ],
          },
        },
        scenario: hasEnded ? (n % 7 === 0 ? 'fail' : 'succeed') : 'run-forever',
        agoMs: hasEnded ? 3 * 3600_000 : 60_000,
        tickMs: hasEnded ? 1000 : 10_000,
      });
      github.checkRuns.set(checkRunId, {
        id: checkRunId++,
        name: `Vertex AI: train (${leg})`,
        head_sha: sha(run),
        status: 'in_progress',
        conclusion: null,
        external_id: name,
        output: { title: 'Submitted', summary: '', annotations_count: 0 },
        annotations: [],
      });
      entries.push(
        commentEntry(
          {
            title: `org/repo train #${run} (${leg})`,
            project: 'my-proj-1',
            region: 'us-central1',
            jobName: name,
            jobId: name.split('/').pop(),
            state: 'JOB_STATE_QUEUED',
            pools: [],
            links: {},
            dryRun: false,
            waiting: false,
          },
          { key: `leg${leg}`, label: String(leg) },
          { id: String(5000 + run), attempt: 1 },
        ),
      );
    }
    if (t.pullRequests) {
      const marker = commentMarker('train', 'train');
      // Written by the workflow token, as the launching steps would have.
      github.seedComments(
        pr,
        [renderComment(marker, entries, { heading: 'Vertex AI jobs' })],
        ACTIONS_BOT,
      );
    }
  }
}

let runId = 700;
async function reconcileOnce(vertex: VertexEmulator, github: GitHubEmulator) {
  const vertexBefore = vertex.record().calls.length;
  const githubBefore = github.requests.length;
  const started = Date.now();
  const id = ++runId;
  const result = await runAction({
    inputs: {
      reconcile: 'true',
      project: 'my-proj-1',
      region: 'us-central1',
      'vertex-endpoint': `http://${vertex.grpcAddress}`,
    },
    env: {
      GITHUB_API_URL: github.url,
      GITHUB_RUN_ID: String(id),
      GITHUB_WORKFLOW_REF: 'org/repo/.github/workflows/reconcile.yml@refs/heads/main',
    },
    timeoutMs: 120_000,
  });
  if (result.code !== 0) throw new Error(`reconcile failed:\n${result.stdout}${result.stderr}`);
  // GitHub records the run as a success: the next reconcile's watermark.
  github.seedWorkflowRun({
    id,
    workflow: 'reconcile.yml',
    status: 'completed',
    conclusion: 'success',
    run_started_at: new Date(started).toISOString(),
  });
  const vertexCalls = vertex.record().calls.slice(vertexBefore);
  const githubCalls = github.requests.slice(githubBefore);
  const byRoute: Record<string, number> = {};
  for (const r of githubCalls) byRoute[r.route ?? r.path] = (byRoute[r.route ?? r.path] ?? 0) + 1;
  const completed = githubCalls.filter((r) => r.route === 'updateCheckRun').length;
  return {
    ms: Date.now() - started,
    vertexCalls: vertexCalls.length,
    vertexMethods: [...new Set(vertexCalls.map((c) => c.method))].join(','),
    githubCalls: githubCalls.length,
    completed,
    byRoute,
  };
}

const topologies: Topology[] = [
  { name: 'matrix (10 legs per PR push)', legs: 10, pullRequests: true },
  { name: 'serial (1 job per commit)', legs: 1, pullRequests: false },
];

console.log(`reconcile over ${TOTAL} launched jobs, ${ENDED} ended, check runs left in progress\n`);
for (const t of topologies) {
  for (const actionsRead of [true, false]) {
    const vertex = await startVertexEmulator();
    const github = await startGitHubEmulator();
    try {
      seed(vertex, github, t);
      if (actionsRead) {
        github.seedWorkflowRun({
          id: 1,
          workflow: 'reconcile.yml',
          status: 'completed',
          conclusion: 'success',
          run_started_at: new Date(Date.now() - 4 * 3600_000).toISOString(),
        });
      } else {
        github.refuse(['listWorkflowRuns']);
      }
      const first = await reconcileOnce(vertex, github);
      const open = [...github.checkRuns.values()].filter((r) => r.status === 'in_progress');
      const second = await reconcileOnce(vertex, github);
      const changed = first.completed;
      console.log(`## ${t.name}, ${actionsRead ? 'with' : 'without'} actions: read`);
      console.log(`| | reconcile | second reconcile |`);
      console.log(`|---|---|---|`);
      console.log(
        `| Vertex calls | ${first.vertexCalls} (${first.vertexMethods}) | ${second.vertexCalls} |`,
      );
      console.log(
        `| check runs completed (jobs that changed) | ${changed} | ${second.completed} |`,
      );
      console.log(`| GitHub calls, all | ${first.githubCalls} | ${second.githubCalls} |`);
      console.log(
        `| GitHub calls beyond one per changed job | ${first.githubCalls - changed} | ${second.githubCalls - second.completed} |`,
      );
      console.log(`| wall time | ${first.ms} ms | ${second.ms} ms |`);
      console.log(
        `\nGitHub calls by kind: ${JSON.stringify(first.byRoute)}; then ${JSON.stringify(second.byRoute)}`,
      );
      console.log(
        `check runs still in progress after it: ${open.length} (the ${TOTAL - ENDED} running jobs)\n`,
      );
    } finally {
      await Promise.all([vertex.stop(), github.close()]);
    }
  }
}
