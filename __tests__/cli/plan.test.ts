// `wb-vertex-launch plan` run as a process, as users run it. WBVL_CLI swaps the entry point
// (default src/cli/index.ts, which Node 24 runs directly) for the bundle: WBVL_CLI=dist/cli/index.js.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

const root = join(import.meta.dirname, '..', '..');
const NODE = join(root, 'node_modules', '.bin', 'node');
const CLI = resolve(root, process.env.WBVL_CLI || 'src/cli/index.ts');
const API_KEY = 'wandb-secret-key-0123456789abcdef';
const HF_TOKEN = 'hf_secret_token_value_42';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function plan(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<Run> {
  return new Promise((done) => {
    // A clean environment: no GITHUB_* or WANDB_* from whoever runs the tests.
    const child = execFile(
      NODE,
      [CLI, ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 15000 },
      (err, stdout, stderr) => {
        done({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
    else child.stdin?.end();
  });
}

const TARGET = ['--project', 'my-project-123', '--region', 'us-central1'];
const IMAGE = 'us-central1-docker.pkg.dev/my-project-123/repo/train:1';
let dir: string;
let badConfig: string;
let templated: string;
const runs: Record<string, Run> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wbvl-plan-'));
  badConfig = join(dir, 'bad.yaml');
  writeFileSync(
    badConfig,
    'spec:\n  worker_pool_specs:\n    - machine_spec:\n        machine_type: 4\n      replica_count: 1\n      container_spec:\n        image_uri: ${image_uri}\n  staging_bucket: gs://b\n',
  );
  templated = join(dir, 'templated.json');
  writeFileSync(
    templated,
    JSON.stringify({
      spec: {
        worker_pool_specs: [
          {
            machine_spec: { machine_type: 'n1-standard-4' },
            replica_count: 1,
            container_spec: {
              image_uri: '${image_uri}',
              args: ['--epochs=${epochs}', '--lr=${lr}'],
            },
          },
        ],
        staging_bucket: 'gs://b',
      },
    }),
  );
  // The processes start together: each pays Node's start-up once, in parallel.
  const cases: Record<string, Promise<Run>> = {
    example: plan(
      [
        'plan',
        '--queue-config',
        'examples/queue-config.yaml',
        ...TARGET,
        '--image',
        IMAGE,
        '--wandb-project',
        'proj',
        '--wandb-entity',
        'team',
      ],
      { WANDB_API_KEY: API_KEY },
    ),
    bad: plan(['plan', '--queue-config', badConfig, ...TARGET, '--image', IMAGE], {
      WANDB_API_KEY: API_KEY,
    }),
    flags: plan([
      'plan',
      '--queue-config',
      templated,
      ...TARGET,
      '--image',
      IMAGE,
      '--var',
      'epochs=3',
      '--var',
      'lr=0.1',
      '--label',
      'team=vision',
      '--label',
      'stage=ci',
      '--env',
      'A=1',
      '--env',
      `HF_TOKEN=${HF_TOKEN}`,
      '--display-name',
      'from the command line',
    ]),
    unknownFlag: plan([
      'plan',
      '--queue-config',
      'examples/queue-config.yaml',
      ...TARGET,
      '--colour',
      'blue',
    ]),
    stdin: plan(
      ['plan', '--queue-config', '-', ...TARGET, '--image', IMAGE],
      {},
      'spec:\n  worker_pool_specs:\n    - machine_spec: {machine_type: n1-standard-4}\n      container_spec: {image_uri: "${image_uri}"}\n  staging_bucket: gs://b\n',
    ),
    missingFile: plan(['plan', '--queue-config', join(dir, 'nope.yaml'), ...TARGET]),
    badFlags: plan([
      'plan',
      '--queue-config',
      templated,
      ...TARGET,
      '--image',
      IMAGE,
      '--var',
      'epochs',
      '--label',
      'Team=x',
      '--label',
      'github-pr=1',
      '--var',
      'lr=1',
    ]),
    noProject: plan([
      'plan',
      '--queue-config',
      'examples/queue-config.yaml',
      '--region',
      'us-central1',
      '--image',
      IMAGE,
    ]),
    noVerb: plan([]),
    unknownVerb: plan(['launchh']),
  };
  for (const [name, run] of Object.entries(cases)) runs[name] = await run;
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Nothing printed holds a secret, and nothing looks like a stack trace. */
function expectClean(run: Run) {
  for (const text of [run.stdout, run.stderr]) {
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(HF_TOKEN);
    expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  }
}

describe('plan: the example config', () => {
  test('exit 0 and the CreateCustomJobRequest as proto3 JSON on stdout', () => {
    const run = runs.example;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const request = JSON.parse(run.stdout);
    expect(request.parent).toBe('projects/my-project-123/locations/us-central1');
    const pool = request.customJob.jobSpec.workerPoolSpecs[0];
    expect(pool).toMatchObject({
      machineSpec: {
        machineType: 'n1-standard-4',
        acceleratorType: 'ACCELERATOR_TYPE_UNSPECIFIED',
        acceleratorCount: 0,
      },
      replicaCount: '1',
      containerSpec: { imageUri: IMAGE },
    });
    expect(request.customJob.jobSpec.baseOutputDirectory.outputUriPrefix).toMatch(
      /^gs:\/\/my-staging-bucket\/aiplatform-custom-job-\d{4}-\d\d-\d\d-\d\d:\d\d:\d\d\.\d{3}$/,
    );
    expect(request.customJob.displayName).toMatch(/^wb-vertex-launch-\d{8}T\d{6}$/);
  });

  test('WANDB_API_KEY from the environment is injected and printed as ***; the run id is pre-generated', () => {
    const run = runs.example;
    const request = JSON.parse(run.stdout);
    const env = Object.fromEntries(
      request.customJob.jobSpec.workerPoolSpecs[0].containerSpec.env.map(
        (e: { name: string; value: string }) => [e.name, e.value],
      ),
    );
    expect(env).toEqual({
      WANDB_LAUNCH: 'True',
      WANDB_PROJECT: 'proj',
      WANDB_ENTITY: 'team',
      WANDB_API_KEY: '***',
      WANDB_RUN_ID: expect.stringMatching(/^[a-z0-9]{8}$/),
      WANDB_DOCKER: IMAGE,
    });
    expect(request.customJob.labels).toEqual({
      'managed-by': 'wb-vertex-launch',
      'wandb-run-id': env.WANDB_RUN_ID,
    });
    expectClean(run);
  });
});

describe('plan: a bad config', () => {
  test('exit 1, nothing on stdout, stderr names the config path and the file line', () => {
    const run = runs.bad;
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('wb-vertex-launch: queue-config: the queue config is not valid');
    expect(run.stderr).toContain(
      `${badConfig}:4:9: spec.worker_pool_specs[0].machine_spec.machine_type: expected a string (quote it), got number 4`,
    );
    expectClean(run);
  });

  test('bad flag values and the config problems they cause are all reported, located by flag', () => {
    const run = runs.badFlags;
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('wb-vertex-launch: inputs: invalid arguments');
    expect(run.stderr).toContain('  --var: line 1 is not KEY=VALUE');
    expect(run.stderr).toContain('  --label: label key "Team"');
    expect(run.stderr).toContain('  --label: label key "github-pr" is reserved');
    expect(run.stderr).toMatch(
      /templated\.json:1:\d+: spec\.worker_pool_specs\[0\]\.container_spec\.args\[0\]: unknown template name \$\{epochs\}/,
    );
    expectClean(run);
  });

  test('a missing --project names the flag', () => {
    expect(runs.noProject.code).toBe(1);
    expect(runs.noProject.stdout).toBe('');
    expect(runs.noProject.stderr).toContain('  --project: required');
  });

  test('a missing file is named', () => {
    expect(runs.missingFile.code).toBe(1);
    expect(runs.missingFile.stdout).toBe('');
    expect(runs.missingFile.stderr).toContain('nope.yaml: no such file');
  });
});

describe('plan: flags', () => {
  test('--var, --label and --env repeat; --display-name wins; secret-looking env values print as ***', () => {
    const run = runs.flags;
    expect(run.code).toBe(0);
    const request = JSON.parse(run.stdout);
    const container = request.customJob.jobSpec.workerPoolSpecs[0].containerSpec;
    expect(container.args).toEqual(['--epochs=3', '--lr=0.1']);
    expect(container.env).toEqual([
      { name: 'WANDB_LAUNCH', value: 'True' },
      { name: 'WANDB_RUN_ID', value: expect.stringMatching(/^[a-z0-9]{8}$/) },
      { name: 'WANDB_DOCKER', value: IMAGE },
      { name: 'A', value: '1' },
      { name: 'HF_TOKEN', value: '***' },
    ]);
    expect(request.customJob.labels).toMatchObject({ team: 'vision', stage: 'ci' });
    expect(request.customJob.displayName).toBe('from the command line');
    expectClean(run);
  });

  test('--queue-config - reads standard input', () => {
    expect(runs.stdin.code).toBe(0);
    expect(
      JSON.parse(runs.stdin.stdout).customJob.jobSpec.workerPoolSpecs[0].containerSpec.imageUri,
    ).toBe(IMAGE);
  });

  test('an unknown flag: exit 1 with the usage, no stack trace', () => {
    const run = runs.unknownFlag;
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("Unknown option '--colour'");
    expect(run.stderr).toContain('usage: wb-vertex-launch plan --queue-config FILE');
    expectClean(run);
  });

  test('no verb prints the usage and fails; an unknown verb is named', () => {
    expect(runs.noVerb.code).toBe(1);
    expect(runs.noVerb.stdout).toContain('usage: wb-vertex-launch <verb>');
    expect(runs.unknownVerb.code).toBe(1);
    expect(runs.unknownVerb.stdout).toBe('');
    expect(runs.unknownVerb.stderr).toContain('unknown verb "launchh"');
    expectClean(runs.unknownVerb);
  });
});
