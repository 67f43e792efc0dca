// "Errors to catch" (DESIGN.md): every rule with a config that passes and one that fails, each
// problem located (config path, file, line), all of a config's problems reported at once;
// then templates and the warnings that let a launch go on.
import { describe, expect, test } from '@jest/globals';
import type { Problem } from '../../src/core/errors.ts';
import { accept, config, firstPool, IMAGE, pool, problemAt, reject } from './compile-helpers.ts';

const where = (problems: Problem[]) => problems.map((p) => `${p.line ?? '-'} ${p.path}`);

describe('camelCase keys name the snake_case key meant', () => {
  test.each([
    [
      'spec',
      config({ workerPoolSpecs: [pool()] }),
      'spec.workerPoolSpecs',
      'write "worker_pool_specs", not "workerPoolSpecs"',
    ],
    [
      'pool',
      config({ worker_pool_specs: [pool({ replicaCount: 2 })] }),
      'spec.worker_pool_specs[0].replicaCount',
      'write "replica_count"',
    ],
    [
      'machine_spec',
      config({ worker_pool_specs: [pool({ machine_spec: { machineType: 'n1-standard-4' } })] }),
      'spec.worker_pool_specs[0].machine_spec.machineType',
      'write "machine_type"',
    ],
    [
      'container_spec',
      config({ worker_pool_specs: [pool({ container_spec: { imageUri: 'x' } })] }),
      'spec.worker_pool_specs[0].container_spec.imageUri',
      'write "image_uri"',
    ],
    [
      'disk_spec',
      config({ worker_pool_specs: [pool({ disk_spec: { bootDiskSizeGb: 100 } })] }),
      'spec.worker_pool_specs[0].disk_spec.bootDiskSizeGb',
      'write "boot_disk_size_gb"',
    ],
    [
      'run',
      config({}, { serviceAccount: 'sa@p.iam.gserviceaccount.com' }),
      'run.serviceAccount',
      'write "service_account"',
    ],
  ])('in %s', (_where, cfg, path, message) => {
    problemAt(reject(cfg), path, message);
  });

  test('a misspelt pool key is not also reported as a missing task or machine type', () => {
    const problems = reject(
      config({
        worker_pool_specs: [
          { machineSpec: { machine_type: 'n1-standard-4' }, containerSpec: { image_uri: 'x' } },
        ],
      }),
    );
    expect(problems.map((p) => p.path).sort()).toEqual([
      'spec.worker_pool_specs[0].containerSpec',
      'spec.worker_pool_specs[0].machineSpec',
    ]);
  });

  test('the snake_case spelling passes', () => {
    accept(
      config(
        { worker_pool_specs: [pool({ disk_spec: { boot_disk_size_gb: 100 } })] },
        { service_account: 'sa@p.iam.gserviceaccount.com' },
      ),
    );
  });
});

describe('unknown keys', () => {
  test('a close spelling is suggested, otherwise the known keys are listed', () => {
    problemAt(
      reject(
        config({
          worker_pool_specs: [
            { machine_spec: { machine_type: 'x' }, container_specs: { image_uri: 'x' } },
          ],
        }),
      ),
      'spec.worker_pool_specs[0].container_specs',
      'did you mean "container_spec"?',
    );
    problemAt(
      reject(config({ colour: 'blue' })),
      'spec.colour',
      'known keys: display_name, worker_pool_specs, base_output_dir',
    );
    problemAt(reject(config({}, { timout: 60 })), 'run.timout', 'did you mean "timeout"?');
    problemAt(reject({ ...config(), resources: {} }), 'resources', 'known keys: spec, run');
    problemAt(
      reject(config({ credentials: 'key.json' })),
      'spec.credentials',
      'credentials come from the action',
    );
  });

  test('every known spec and run key passes', () => {
    accept(
      config(
        {
          display_name: 'n',
          base_output_dir: 'gs://o',
          project: 'my-project-123',
          location: 'us-central1',
          labels: {},
          encryption_spec_key_name: 'k',
          persistent_resource_id: 'r',
        },
        {
          service_account: 's',
          network: 'n',
          reserved_ip_ranges: ['r'],
          timeout: 1,
          restart_job_on_worker_restart: true,
          disable_retries: false,
          scheduling_strategy: 'STANDARD',
          max_wait_duration: 1,
          enable_web_access: true,
          enable_dashboard_access: true,
          tensorboard: 't',
          sync: true,
          create_request_timeout: 5,
        },
      ),
    );
    accept(config({}, { experiment: 'e', experiment_run: 'r' }));
  });
});

describe('bad enum names list the valid names', () => {
  test('accelerator_type, scheduling_strategy and a nested reservation affinity type', () => {
    const problems = reject(
      config(
        {
          worker_pool_specs: [
            pool({
              machine_spec: {
                machine_type: 'n1-standard-4',
                accelerator_type: 'T4',
                accelerator_count: 1,
                reservation_affinity: { reservation_affinity_type: 'ANY' },
              },
            }),
          ],
        },
        { scheduling_strategy: 'spot' },
      ),
    );
    const accel = problemAt(
      problems,
      'spec.worker_pool_specs[0].machine_spec.accelerator_type',
      'string "T4" is not one of ACCELERATOR_TYPE_UNSPECIFIED',
    );
    expect(accel.message).toContain('NVIDIA_TESLA_T4');
    expect(accel.message).toContain('TPU_V5_LITEPOD');
    problemAt(
      problems,
      'spec.worker_pool_specs[0].machine_spec.reservation_affinity.reservation_affinity_type',
      'NO_RESERVATION, ANY_RESERVATION, SPECIFIC_RESERVATION',
    );
    problemAt(problems, 'run.scheduling_strategy', 'STANDARD, SPOT, FLEX_START');
    // A wrong name gets no accelerator_count advice on top.
    expect(problems.filter((p) => p.path?.endsWith('accelerator_count'))).toEqual([]);
  });

  test('valid names pass and are sent by name', () => {
    const launch = accept(
      config(
        {
          worker_pool_specs: [
            pool({
              machine_spec: {
                machine_type: 'g2-standard-4',
                accelerator_type: 'NVIDIA_L4',
                accelerator_count: 1,
                reservation_affinity: { reservation_affinity_type: 'NO_RESERVATION' },
              },
            }),
          ],
        },
        { scheduling_strategy: 'FLEX_START' },
      ),
    );
    expect(firstPool(launch).machineSpec).toEqual({
      machineType: 'g2-standard-4',
      acceleratorType: 'NVIDIA_L4',
      acceleratorCount: 1,
      reservationAffinity: { reservationAffinityType: 'NO_RESERVATION' },
    });
  });
});

describe('<REQUIRED> placeholders left in', () => {
  test('found anywhere, lists included', () => {
    const problems = reject(
      config(
        {
          staging_bucket: '<REQUIRED>',
          worker_pool_specs: [
            pool({ container_spec: { image_uri: 'x', args: ['--data', '<REQUIRED>'] } }),
          ],
        },
        { service_account: '<REQUIRED>' },
      ),
    );
    for (const path of [
      'spec.staging_bucket',
      'spec.worker_pool_specs[0].container_spec.args[1]',
      'run.service_account',
    ]) {
      problemAt(problems, path, 'still the <REQUIRED> placeholder: fill in a value');
    }
  });
  test('filled in, the config passes', () => {
    accept(config({ staging_bucket: 'gs://filled' }));
  });
});

describe('missing staging_bucket', () => {
  test('required, with the fix named', () => {
    problemAt(
      reject(config({ staging_bucket: undefined })),
      'spec.staging_bucket',
      'required: the Cloud Storage bucket Vertex stages the job in, e.g. gs://my-bucket',
    );
  });
  test('given, the config passes', () => {
    accept(config({ staging_bucket: 'gs://b' }));
  });
});

describe('a pool needs a task', () => {
  test('neither container_spec nor python_package_spec is rejected, even beside other problems', () => {
    problemAt(
      reject(
        config({
          worker_pool_specs: [
            { machine_spec: { machine_type: 'n1-standard-4' }, replica_count: 1 },
          ],
        }),
      ),
      'spec.worker_pool_specs[0]',
      'a worker pool needs a container_spec (image_uri) or a python_package_spec',
    );
    const problems = reject(config({ worker_pool_specs: [{ replica_count: 1 }] }));
    expect(problems.map((p) => p.path).sort()).toEqual([
      'spec.worker_pool_specs[0]',
      'spec.worker_pool_specs[0].machine_spec.machine_type',
    ]);
  });
  test('a task without its required fields is rejected', () => {
    problemAt(
      reject(config({ worker_pool_specs: [pool({ container_spec: {} })] })),
      'spec.worker_pool_specs[0].container_spec.image_uri',
      'required: the image to run',
    );
    const problems = reject(
      config({
        worker_pool_specs: [
          pool({
            container_spec: undefined,
            python_package_spec: { executor_image_uri: 'x', package_uris: [] },
          }),
        ],
      }),
    );
    problemAt(problems, 'spec.worker_pool_specs[0].python_package_spec.package_uris', 'required');
    problemAt(problems, 'spec.worker_pool_specs[0].python_package_spec.python_module', 'required');
  });
  test('either one passes', () => {
    accept(
      config({
        worker_pool_specs: [
          pool(),
          pool({
            container_spec: undefined,
            python_package_spec: {
              executor_image_uri: 'x',
              package_uris: ['gs://b/p.tgz'],
              python_module: 'm',
            },
          }),
        ],
      }),
    );
  });
});

describe('accelerator_type and accelerator_count go together', () => {
  const machine = (m: Record<string, unknown>) =>
    config({
      worker_pool_specs: [pool({ machine_spec: { machine_type: 'n1-standard-8', ...m } })],
    });
  test('a type without a count, and a count without a type, are rejected', () => {
    problemAt(
      reject(machine({ accelerator_type: 'NVIDIA_TESLA_T4' })),
      'spec.worker_pool_specs[0].machine_spec.accelerator_count',
      'accelerator_type NVIDIA_TESLA_T4 needs accelerator_count of 1 or more',
    );
    problemAt(
      reject(machine({ accelerator_type: 'NVIDIA_TESLA_T4', accelerator_count: 0 })),
      'spec.worker_pool_specs[0].machine_spec.accelerator_count',
      'of 1 or more',
    );
    problemAt(
      reject(machine({ accelerator_count: 2 })),
      'spec.worker_pool_specs[0].machine_spec.accelerator_type',
      'accelerator_count 2 needs an accelerator_type',
    );
    problemAt(
      reject(machine({ accelerator_type: 'ACCELERATOR_TYPE_UNSPECIFIED', accelerator_count: 1 })),
      'spec.worker_pool_specs[0].machine_spec.accelerator_type',
      'needs an accelerator_type',
    );
  });
  test("both, or neither (UNSPECIFIED with 0 as in W&B's example), pass", () => {
    expect(
      firstPool(accept(machine({ accelerator_type: 'NVIDIA_TESLA_T4', accelerator_count: 2 })))
        .machineSpec,
    ).toEqual({
      machineType: 'n1-standard-8',
      acceleratorType: 'NVIDIA_TESLA_T4',
      acceleratorCount: 2,
    });
    accept(machine({ accelerator_type: 'ACCELERATOR_TYPE_UNSPECIFIED', accelerator_count: 0 }));
    accept(machine({}));
  });
});

describe('invalid labels', () => {
  test('spec.labels: key and value rules, each label located', () => {
    const problems = reject(
      config({
        labels: {
          Team: 'a',
          ok: 'Has Space',
          ['k'.repeat(64)]: 'v',
          long: 'v'.repeat(64),
          '9x': 'v',
        },
      }),
    );
    problemAt(problems, 'spec.labels.Team', 'label key "Team"');
    problemAt(problems, 'spec.labels.ok', 'label value "Has Space"');
    problemAt(problems, `spec.labels.${'k'.repeat(64)}`, 'must be 1-63 characters');
    problemAt(problems, 'spec.labels.long', 'at most 63 characters');
    problemAt(problems, 'spec.labels.9x', 'starting with a lowercase letter');
  });
  test("the labels input, and too many labels with the action's own", () => {
    problemAt(reject(config(), { labels: { 'Bad Key': 'x' } }), 'labels', 'label key "Bad Key"');
    const many = Object.fromEntries(Array.from({ length: 63 }, (_, i) => [`l${i}`, 'v']));
    problemAt(
      reject(config({ labels: many })),
      'labels',
      "labels with the action's own, but Vertex allows at most 64",
    );
  });
  test("the action's provenance labels cannot be set by spec.labels or the labels input", () => {
    const reserved = [
      'managed-by',
      'github-pr',
      'github-check-run',
      'wb-vertex-launch-wait',
      'wb-vertex-launch-id',
      'wandb-run-id',
      'wandb-run-queue-item',
    ];
    const problems = reject(config({ labels: Object.fromEntries(reserved.map((k) => [k, '1'])) }), {
      labels: { 'github-repository': 'org_repo' },
    });
    for (const key of reserved) problemAt(problems, `spec.labels.${key}`, `"${key}" is reserved`);
    problemAt(problems, 'labels', '"github-repository" is reserved');
    expect(problems).toHaveLength(reserved.length + 1);
    // Look-alikes that are not the action's own stay the user's.
    expect(
      accept(config({ labels: { github: 'x', wandb_run_id: 'y', 'team-github-ci': 'z' } })).request
        .customJob.labels,
    ).toMatchObject({ github: 'x', wandb_run_id: 'y', 'team-github-ci': 'z' });
  });
  test('a reserved label in a YAML config is located at its line', () => {
    const text =
      'spec:\n  worker_pool_specs: []\n  staging_bucket: gs://b\n  labels:\n    team: a\n    github-pr: "1"\n';
    const problems = reject(text, { source: { text, origin: 'ci/queue.yaml' } });
    const pr = problems.find((p) => p.path === 'spec.labels.github-pr');
    expect(pr).toMatchObject({ file: 'ci/queue.yaml', line: 6 });
  });
  test('labels at the limits pass', () => {
    const labels = { ['k'.repeat(63)]: 'v'.repeat(63), a: '', 'b_-9': '0-_x' };
    expect(
      accept(config({ labels }), { labels: { from_input: 'y' } }).request.customJob.labels,
    ).toMatchObject({ ...labels, from_input: 'y' });
  });
});

describe('environment variable names are C identifiers', () => {
  const withEnv = (env: { name: unknown; value: string }[]) =>
    config({ worker_pool_specs: [pool({ container_spec: { image_uri: 'x', env } })] });
  test('bad names in the config and in the env input are rejected', () => {
    const problems = reject(
      withEnv([
        { name: '1BAD', value: 'x' },
        { name: 'MY-VAR', value: 'y' },
        { name: '', value: 'z' },
      ]),
      { env: { 'BAD NAME': 'v', 'A.B': 'w' } },
    );
    problemAt(
      problems,
      'spec.worker_pool_specs[0].container_spec.env[0].name',
      '"1BAD" must be a C identifier',
    );
    problemAt(problems, 'spec.worker_pool_specs[0].container_spec.env[1].name', '"MY-VAR"');
    problemAt(
      problems,
      'spec.worker_pool_specs[0].container_spec.env[2].name',
      'must be a C identifier',
    );
    problemAt(problems, 'env', '"BAD NAME" is not a valid environment variable name');
    problemAt(problems, 'env', '"A.B"');
  });
  test('identifiers pass', () => {
    accept(
      withEnv([
        { name: '_PRIVATE', value: '1' },
        { name: 'lr2', value: '0.1' },
      ]),
      { env: { MY_VAR: 'x' } },
    );
  });
});

describe('tensorboard with experiment', () => {
  test('rejected together', () => {
    problemAt(
      reject(config({}, { tensorboard: 'projects/p/locations/l/tensorboards/1', experiment: 'e' })),
      'run.tensorboard',
      'cannot both be set',
    );
  });
  test('each alone passes', () => {
    accept(config({}, { tensorboard: 'projects/p/locations/l/tensorboards/1' }));
    accept(config({}, { experiment: 'e' }));
  });
});

describe('located problems, all at once', () => {
  const yamlText = `spec:
  workerPoolSpecs: []
  worker_pool_specs:
    - machine_spec:
        machineType: n1-standard-4
        accelerator_type: NVIDIA_TESLA_T4
      replica_count: 1
      container_spec:
        image_uri: \${image_uri}
        env:
          - name: 1BAD
            value: x
    - machine_spec:
        machine_type: n1-standard-4
        accelerator_type: T4
        accelerator_count: 1
      replica_count: 1
    - machine_spec:
        machine_type: n1-standard-4
        accelerator_count: 2
      replica_count: 1
      container_spec:
        image_uri: \${image_uri}
  staging_bucket: <REQUIRED>
  labels:
    Team: vision
  colour: blue
run:
  restartJobOnWorkerRestart: true
  tensorboard: projects/p/locations/us-central1/tensorboards/1
  experiment: exp
  scheduling_strategy: CHEAP
`;

  test('a YAML config with one of each mistake: every problem, in file order, with its line', () => {
    const problems = reject(yamlText, { source: { text: yamlText, origin: 'ci/queue.yaml' } });
    expect(where(problems)).toEqual([
      '2 spec.workerPoolSpecs',
      // A missing key points at its parent's line.
      '4 spec.worker_pool_specs[0].machine_spec.accelerator_count',
      '5 spec.worker_pool_specs[0].machine_spec.machineType',
      '11 spec.worker_pool_specs[0].container_spec.env[0].name',
      '13 spec.worker_pool_specs[1]',
      '15 spec.worker_pool_specs[1].machine_spec.accelerator_type',
      '18 spec.worker_pool_specs[2].machine_spec.accelerator_type',
      '24 spec.staging_bucket',
      '26 spec.labels.Team',
      '27 spec.colour',
      '29 run.restartJobOnWorkerRestart',
      '30 run.tensorboard',
      '32 run.scheduling_strategy',
    ]);
    expect(problems.every((p) => p.file === 'ci/queue.yaml' && typeof p.column === 'number')).toBe(
      true,
    );
    expect(problems.find((p) => p.path === 'spec.staging_bucket')?.column).toBe(3);
  });

  test('a JSON config is located the same way', () => {
    const jsonText = `{
  "spec": {
    "worker_pool_specs": [
      {
        "machineSpec": { "machine_type": "n1-standard-4" },
        "replica_count": 1,
        "container_spec": { "image_uri": "\${image_uri}" }
      },
      {
        "machine_spec": {
          "machine_type": "n1-standard-4",
          "accelerator_type": "K80"
        },
        "replica_count": 1,
        "container_spec": { "image_uri": "<REQUIRED>" }
      }
    ],
    "staging_bucket": "gs://b",
    "labels": { "team": "Vision" }
  },
  "run": { "timeout": "1h" }
}
`;
    const problems = reject(jsonText, { source: { text: jsonText, origin: 'queue.json' } });
    expect(where(problems)).toEqual([
      '5 spec.worker_pool_specs[0].machineSpec',
      '12 spec.worker_pool_specs[1].machine_spec.accelerator_type',
      '15 spec.worker_pool_specs[1].container_spec.image_uri',
      '19 spec.labels.team',
      '21 run.timeout',
    ]);
    expect(problems.map((p) => p.file)).toEqual(Array(5).fill('queue.json'));
  });

  test('input problems come first and carry no file line', () => {
    const problems = reject(config({ colour: 'x' }), { labels: { Bad: 'x' }, env: { 'A-B': '1' } });
    expect(problems.slice(0, 2).map((p) => [p.path, p.line, p.file])).toEqual([
      ['env', undefined, undefined],
      ['labels', undefined, undefined],
    ]);
    expect(problems[2]).toMatchObject({ path: 'spec.colour', file: 'queue.yaml', line: 15 });
  });

  test('broken YAML and JSON are reported with their line, before any other check', () => {
    const yaml = 'spec:\n  staging_bucket: gs://b\n  labels: [a\nrun: {}\n';
    const [yamlProblem] = reject(yaml);
    expect(yamlProblem.message).toMatch(/^not valid YAML or JSON: /);
    expect(yamlProblem.line).toBeGreaterThanOrEqual(3);
    const dup = reject('spec:\n  staging_bucket: a\n  staging_bucket: b\n');
    expect(dup).toHaveLength(1);
    expect(dup[0]).toMatchObject({
      line: 3,
      message: expect.stringContaining('not valid YAML or JSON'),
    });
    const json = reject('{\n  "spec": {\n    "staging_bucket": "gs://b",\n  }\n  "run": {}\n}\n');
    expect(json[0]).toMatchObject({
      file: 'queue.yaml',
      message: expect.stringContaining('not valid YAML or JSON'),
    });
    expect(json[0].line).toBeGreaterThanOrEqual(4);
  });

  test('a config that is not a mapping says what a queue config is', () => {
    expect(reject('- spec\n- run\n')[0].message).toBe(
      'a queue config is a mapping with keys spec and run, got a list',
    );
    problemAt(reject({ spec: ['x'], run: 'now' }), 'spec', 'expected a mapping, got a list');
  });
});

describe('templates', () => {
  test('unknown names list the known ones, vars included', () => {
    const problems = reject(
      config({
        worker_pool_specs: [
          pool({ container_spec: { image_uri: '${image_uri}', args: ['--epochs=${epochs}'] } }),
        ],
      }),
      { vars: { lr: '0.1' } },
    );
    const p = problemAt(
      problems,
      'spec.worker_pool_specs[0].container_spec.args[0]',
      'unknown template name ${epochs}; known names: ',
    );
    expect(p.message).toContain(
      'author, entity_name, github_ref, github_repository, github_run_id, github_sha, image_uri, lr, project_name, run_id, run_name',
    );
  });

  test('a built-in name without a value says which input gives it', () => {
    problemAt(
      reject(config(), { image: undefined }),
      'spec.worker_pool_specs[0].container_spec.image_uri',
      '${image_uri} has no value here: set the `image` or `registry` input',
    );
    problemAt(
      reject(config({ display_name: '${project_name}' })),
      'spec.display_name',
      'set the `wandb-project` input',
    );
  });

  test('built-in names and vars are substituted in every string leaf, never in keys', () => {
    const launch = accept(
      config(
        {
          display_name: '${run_name} (${github_sha})',
          worker_pool_specs: [
            pool({
              replica_count: '${replicas}',
              container_spec: {
                image_uri: '${image_uri}',
                args: [
                  '--run=${run_id}',
                  '${project_name}/${entity_name}',
                  '${author}@${github_ref}#${github_run_id}',
                  '${github_repository}',
                ],
              },
            }),
          ],
          labels: { data: '${dataset}' },
        },
        { service_account: '${sa}' },
      ),
      {
        vars: { replicas: '4', dataset: 'imagenet', sa: 'trainer@p.iam.gserviceaccount.com' },
        wandb: { project: 'proj', entity: 'team' },
        displayName: undefined,
        github: {
          sha: 'abc123',
          ref: 'refs/heads/main',
          runId: '99',
          actor: 'octocat',
          repository: 'octo/trainer',
          workflow: 'train',
          runNumber: '5',
        },
      },
    );
    expect(launch.request.customJob.displayName).toBe('octo/trainer train #5 (abc123)');
    expect(firstPool(launch).replicaCount).toBe('4');
    expect((firstPool(launch).containerSpec as { args: string[] }).args).toEqual([
      '--run=abcd1234',
      'proj/team',
      'octocat@refs/heads/main#99',
      'octo/trainer',
    ]);
    expect(launch.request.customJob.labels.data).toBe('imagenet');
    expect(launch.request.customJob.jobSpec.serviceAccount).toBe(
      'trainer@p.iam.gserviceaccount.com',
    );
    problemAt(
      reject(config({ labels: { '${k}': 'v' } }), { vars: { k: 'team' } }),
      'spec.labels.${k}',
      'label key "${k}"',
    );
  });

  test('spec.project and spec.location take templates too, and the job goes there', () => {
    const launch = accept(
      config({ project: '${gcp_project}', location: '${gcp_region}' }, { experiment: 'e' }),
      {
        vars: { gcp_project: 'tmpl-project-1', gcp_region: 'europe-west4' },
      },
    );
    expect(launch.request.parent).toBe('projects/tmpl-project-1/locations/europe-west4');
    expect(launch.request.customJob.jobSpec.experiment).toBe(
      'projects/tmpl-project-1/locations/europe-west4/metadataStores/default/contexts/e',
    );
  });

  test('substitution happens after parsing: a value cannot change the structure', () => {
    const evil = '"\n  injected: x';
    const yamlText =
      'spec:\n  worker_pool_specs:\n    - machine_spec: {machine_type: n1-standard-4}\n      container_spec:\n        image_uri: ${image_uri}\n        args: ["${a}", "${b}", "$${a}", "${c}"]\n  staging_bucket: gs://b\n';
    const vars = { a: evil, b: '}', c: '${a}' };
    const fromYaml = accept(yamlText, { vars });
    const args = (firstPool(fromYaml).containerSpec as { args: string[] }).args;
    // `$${a}` is a literal `${a}`; a substituted value is not substituted again.
    expect(args).toEqual([evil, '}', '${a}', '${a}']);
    expect(JSON.stringify(fromYaml.request)).not.toContain('"injected"');
    const jsonText = JSON.stringify({
      spec: {
        worker_pool_specs: [
          pool({ container_spec: { image_uri: '${image_uri}', args: ['${a}', '${b}'] } }),
        ],
        staging_bucket: 'gs://b',
      },
    });
    expect(
      (
        firstPool(accept(jsonText, { vars: { a: '"}, "injected": {"x": 1', b: '}}' } }))
          .containerSpec as { args: string[] }
      ).args,
    ).toEqual(['"}, "injected": {"x": 1', '}}']);
  });

  test('a problem never quotes a secret value that a template put there', () => {
    const secret = 'hf_0123456789abcdef';
    const problems = reject(
      config({ worker_pool_specs: [pool({ replica_count: '${HF_TOKEN}' })] }),
      {
        vars: { HF_TOKEN: secret },
      },
    );
    const p = problemAt(
      problems,
      'spec.worker_pool_specs[0].replica_count',
      'expected a whole number',
    );
    expect(p.message).toContain('***');
    expect(JSON.stringify(problems)).not.toContain(secret);
  });

  test('vars that are not names, or that redefine a built-in, are rejected', () => {
    const problems = reject(config(), { vars: { 'my-var': 'x', image_uri: 'y' } });
    problemAt(problems, 'vars', '"my-var" is not a valid template name');
    problemAt(problems, 'vars', '"image_uri" is a built-in template name');
  });
});

describe('warnings (the launch goes on)', () => {
  test('an image no pool uses: the hard-coded image runs', () => {
    const hardCoded = config({
      worker_pool_specs: [pool({ container_spec: { image_uri: 'gcr.io/p/fixed:1' } })],
    });
    const launch = accept(hardCoded);
    expect(launch.usesImage).toBe(false);
    expect(firstPool(launch).containerSpec).toMatchObject({ imageUri: 'gcr.io/p/fixed:1' });
    expect(launch.warnings).toEqual([
      'the image input is not used: no worker pool refers to ${image_uri}, so the images written in the queue config run',
    ]);
    expect(accept(hardCoded, { imageInput: 'registry' }).warnings[0]).toMatch(
      /^the registry input is not used/,
    );
  });

  test('no warning when ${image_uri} is used, or when no image is given', () => {
    const launch = accept(config());
    expect(launch.usesImage).toBe(true);
    expect(firstPool(launch).containerSpec).toMatchObject({ imageUri: IMAGE });
    expect(launch.warnings).toEqual([]);
    expect(
      accept(
        config({
          worker_pool_specs: [pool({ container_spec: { image_uri: 'gcr.io/p/fixed:1' } })],
        }),
        { image: undefined },
      ).warnings,
    ).toEqual([]);
  });

  test('keys W&B Launch ignores are warned about once, together', () => {
    const launch = accept(
      config(
        { display_name: 'n', project: 'my-project-123', persistent_resource_id: 'r' },
        { scheduling_strategy: 'SPOT', sync: true, timeout: 60 },
      ),
    );
    const ignored = launch.warnings.filter((w) => w.includes('W&B Launch'));
    expect(ignored).toEqual([
      "spec.display_name, spec.project, spec.persistent_resource_id, run.scheduling_strategy, run.sync: applied here, but W&B Launch's Vertex runner ignores them",
    ]);
    expect(launch.warnings).toHaveLength(1);
  });

  test('keys W&B Launch reads give no warning', () => {
    const launch = accept(
      config(
        { base_output_dir: 'gs://o', encryption_spec_key_name: 'k', labels: { a: 'b' } },
        {
          timeout: 60,
          service_account: 's',
          network: 'n',
          enable_web_access: true,
          experiment: 'e',
          experiment_run: 'r',
          restart_job_on_worker_restart: true,
        },
      ),
    );
    expect(launch.warnings).toEqual([]);
  });
});
