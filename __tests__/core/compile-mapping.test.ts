// Every row of DESIGN.md's queue-config -> v1 CustomJob mapping: a config that passes with the
// exact request fragment it must produce, and one that fails with the located problem.
import { describe, expect, test } from '@jest/globals';
import {
  accept,
  config,
  firstPool,
  IMAGE,
  jobSpec,
  pool,
  problemAt,
  reject,
  RUN_ID,
} from './compile-helpers.ts';

const CONTEXTS = 'projects/my-project-123/locations/us-central1/metadataStores/default/contexts';

describe('spec.project and spec.location -> parent', () => {
  test('the inputs make the parent when the config has neither', () => {
    const launch = accept(config());
    expect(launch.request.parent).toBe('projects/my-project-123/locations/us-central1');
    expect([launch.project, launch.region]).toEqual(['my-project-123', 'us-central1']);
  });

  test('spec.project and spec.location win over the project and region inputs', () => {
    const launch = accept(config({ project: 'other-project-9', location: 'europe-west4' }));
    expect(launch.request.parent).toBe('projects/other-project-9/locations/europe-west4');
    expect([launch.project, launch.region]).toEqual(['other-project-9', 'europe-west4']);
  });

  test('an invalid spec.location or spec.project is named; a missing project asks for the input', () => {
    const problems = reject(config({ project: 'My Project', location: 'Europe West' }));
    problemAt(problems, 'spec.project', '"My Project" is not a valid project id');
    problemAt(problems, 'spec.location', '"Europe West" is not a valid Vertex region');
    problemAt(
      reject(config(), { project: undefined }),
      'project',
      'required: set the project input (or spec.project)',
    );
    problemAt(
      reject(config(), { region: '' }),
      'region',
      'required: set the region input (or spec.location)',
    );
    problemAt(reject(config({ location: 5 })), 'spec.location', 'expected a string');
  });
});

describe('spec.display_name -> displayName', () => {
  test('spec.display_name is used; the display-name input wins over it', () => {
    expect(accept(config({ display_name: 'nightly retrain' })).request.customJob.displayName).toBe(
      'nightly retrain',
    );
    const launch = accept(config({ display_name: 'nightly retrain' }), {
      displayName: 'from the step',
    });
    expect(launch.request.customJob.displayName).toBe('from the step');
  });

  test('without either, the name comes from the GitHub run, or a timestamp outside GitHub', () => {
    const github = { repository: 'octo/trainer', workflow: 'train', runNumber: '42' };
    expect(accept(config(), { github }).request.customJob.displayName).toBe(
      'octo/trainer train #42',
    );
    expect(accept(config()).request.customJob.displayName).toBe('wb-vertex-launch-20240506T070809');
  });

  test('more than 128 characters, or not a string, is rejected', () => {
    problemAt(
      reject(config({ display_name: 'x'.repeat(129) })),
      'spec.display_name',
      '129 characters, but Vertex allows at most 128',
    );
    problemAt(reject(config(), { displayName: 'y'.repeat(200) }), 'display-name', 'at most 128');
    problemAt(
      reject(config({ display_name: ['a'] })),
      'spec.display_name',
      'expected a string, got a list',
    );
  });
});

describe('spec.worker_pool_specs -> jobSpec.workerPoolSpecs', () => {
  test('machine_spec, replica_count, container_spec, disk_spec and nfs_mounts in proto3 JSON', () => {
    const launch = accept(
      config({
        worker_pool_specs: [
          pool({
            machine_spec: {
              machine_type: 'a2-highgpu-1g',
              accelerator_type: 'NVIDIA_TESLA_A100',
              accelerator_count: 1,
            },
            replica_count: 2,
            container_spec: {
              image_uri: '${image_uri}',
              command: ['python', 'train.py'],
              args: ['--epochs', '3'],
            },
            disk_spec: { boot_disk_type: 'pd-ssd', boot_disk_size_gb: 200 },
            nfs_mounts: [{ server: '10.0.0.2', path: '/export', mount_point: 'data' }],
          }),
        ],
      }),
    );
    expect(jobSpec(launch).workerPoolSpecs).toEqual([
      {
        machineSpec: {
          machineType: 'a2-highgpu-1g',
          acceleratorType: 'NVIDIA_TESLA_A100',
          acceleratorCount: 1,
        },
        // int64 prints as a string (canonical proto3 JSON), int32 as a number.
        replicaCount: '2',
        containerSpec: {
          imageUri: IMAGE,
          command: ['python', 'train.py'],
          args: ['--epochs', '3'],
          env: [
            { name: 'WANDB_LAUNCH', value: 'True' },
            { name: 'WANDB_RUN_ID', value: RUN_ID },
            { name: 'WANDB_DOCKER', value: IMAGE },
          ],
        },
        diskSpec: { bootDiskType: 'pd-ssd', bootDiskSizeGb: 200 },
        nfsMounts: [{ server: '10.0.0.2', path: '/export', mountPoint: 'data' }],
      },
    ]);
  });

  test('python_package_spec pools and {} placeholder pools', () => {
    const launch = accept(
      config({
        worker_pool_specs: [
          pool(),
          {},
          {
            machine_spec: { machine_type: 'n1-standard-8' },
            replica_count: '3',
            python_package_spec: {
              executor_image_uri: 'us-docker.pkg.dev/vertex-ai/training/pytorch-gpu.2-1:latest',
              package_uris: ['gs://my-bucket/trainer-0.1.tar.gz'],
              python_module: 'trainer.task',
              args: ['--lr=0.1'],
            },
          },
        ],
      }),
    );
    const pools = jobSpec(launch).workerPoolSpecs as Record<string, unknown>[];
    expect(pools).toHaveLength(3);
    expect(pools[1]).toEqual({});
    expect(pools[2]).toEqual({
      machineSpec: { machineType: 'n1-standard-8' },
      replicaCount: '3',
      pythonPackageSpec: {
        executorImageUri: 'us-docker.pkg.dev/vertex-ai/training/pytorch-gpu.2-1:latest',
        packageUris: ['gs://my-bucket/trainer-0.1.tar.gz'],
        pythonModule: 'trainer.task',
        args: ['--lr=0.1'],
        env: [
          { name: 'WANDB_LAUNCH', value: 'True' },
          { name: 'WANDB_RUN_ID', value: RUN_ID },
          {
            name: 'WANDB_DOCKER',
            value: 'us-docker.pkg.dev/vertex-ai/training/pytorch-gpu.2-1:latest',
          },
        ],
      },
    });
  });

  test('wrong types inside a pool are located at the snake_case path', () => {
    const problems = reject(
      config({
        worker_pool_specs: [
          pool({
            replica_count: 'two',
            disk_spec: { boot_disk_size_gb: 'big' },
            nfs_mounts: { server: 'x' },
            container_spec: { image_uri: '${image_uri}', args: '--epochs 3' },
          }),
        ],
      }),
    );
    problemAt(
      problems,
      'spec.worker_pool_specs[0].replica_count',
      'expected a whole number, got string "two"',
    );
    problemAt(
      problems,
      'spec.worker_pool_specs[0].disk_spec.boot_disk_size_gb',
      'expected a whole number',
    );
    problemAt(problems, 'spec.worker_pool_specs[0].nfs_mounts', 'expected a list');
    problemAt(problems, 'spec.worker_pool_specs[0].container_spec.args', 'expected a list');
  });

  test('an empty or missing list, an empty chief, and both task kinds in one pool are rejected', () => {
    problemAt(
      reject(config({ worker_pool_specs: [] })),
      'spec.worker_pool_specs',
      'at least one worker pool',
    );
    problemAt(
      reject(config({ worker_pool_specs: undefined })),
      'spec.worker_pool_specs',
      'required',
    );
    problemAt(
      reject(config({ worker_pool_specs: [{}, pool()] })),
      'spec.worker_pool_specs[0]',
      'the first worker pool (the chief) cannot be an empty placeholder',
    );
    const both = pool({
      python_package_spec: {
        executor_image_uri: 'x',
        package_uris: ['gs://b/p.tgz'],
        python_module: 'm',
      },
    });
    problemAt(
      reject(config({ worker_pool_specs: [both] })),
      'spec.worker_pool_specs[0].python_package_spec',
      'cannot both be set',
    );
  });
});

describe('environment of every pool', () => {
  const wandb = {
    project: 'proj',
    entity: 'team',
    baseUrl: 'https://wandb.example.com',
    apiKey: 'k'.repeat(40),
  };

  test('W&B variables are injected into every task: WANDB_LAUNCH, WANDB_RUN_ID and the image always', () => {
    const launch = accept(config({ worker_pool_specs: [pool(), {}, pool()] }), { wandb });
    const expected = [
      { name: 'WANDB_LAUNCH', value: 'True' },
      { name: 'WANDB_PROJECT', value: 'proj' },
      { name: 'WANDB_ENTITY', value: 'team' },
      { name: 'WANDB_BASE_URL', value: 'https://wandb.example.com' },
      { name: 'WANDB_API_KEY', value: 'k'.repeat(40) },
      { name: 'WANDB_RUN_ID', value: RUN_ID },
      { name: 'WANDB_DOCKER', value: IMAGE },
    ];
    const pools = jobSpec(launch).workerPoolSpecs as { containerSpec?: { env: unknown } }[];
    expect(pools[0].containerSpec?.env).toEqual(expected);
    expect(pools[1]).toEqual({});
    expect(pools[2].containerSpec?.env).toEqual(expected);
    expect(launch.secrets).toContain('k'.repeat(40));
  });

  test('the env input wins over the config, the config over the W&B variables; one entry per name', () => {
    const launch = accept(
      config({
        worker_pool_specs: [
          pool({
            container_spec: {
              image_uri: '${image_uri}',
              env: [
                { name: 'WANDB_PROJECT', value: 'from-config' },
                { name: 'LR', value: '0.1' },
                { name: 'EPOCHS', value: '3' },
              ],
            },
          }),
        ],
      }),
      { wandb: { project: 'from-input' }, env: { EPOCHS: '10', EXTRA: 'yes' } },
    );
    const env = (firstPool(launch).containerSpec as { env: { name: string; value: string }[] }).env;
    expect(Object.fromEntries(env.map((e) => [e.name, e.value]))).toEqual({
      WANDB_PROJECT: 'from-config',
      LR: '0.1',
      EPOCHS: '10',
      WANDB_LAUNCH: 'True',
      WANDB_RUN_ID: RUN_ID,
      WANDB_DOCKER: IMAGE,
      EXTRA: 'yes',
    });
    expect(new Set(env.map((e) => e.name)).size).toBe(env.length);
  });

  test("a user's WANDB_RUN_ID wins in the containers, with a warning that the link and label keep the action's id", () => {
    const launch = accept(config(), { env: { WANDB_RUN_ID: 'mine1234' } });
    const env = (firstPool(launch).containerSpec as { env: { name: string; value: string }[] }).env;
    expect(env.filter((e) => e.name === 'WANDB_RUN_ID')).toEqual([
      { name: 'WANDB_RUN_ID', value: 'mine1234' },
    ]);
    expect(launch.warnings.join('\n')).toMatch(
      /WANDB_RUN_ID is set .* action's own run id abcd1234/,
    );
    expect(accept(config()).warnings.join('\n')).not.toContain('WANDB_RUN_ID');
  });

  test('a name set twice in one pool is rejected', () => {
    const env = [
      { name: 'LR', value: '1' },
      { name: 'LR', value: '2' },
    ];
    problemAt(
      reject(config({ worker_pool_specs: [pool({ container_spec: { image_uri: 'x', env } })] })),
      'spec.worker_pool_specs[0].container_spec.env[1].name',
      'LR is set twice',
    );
  });
});

describe('spec.staging_bucket -> default base output dir', () => {
  test('gs://BUCKET/aiplatform-custom-job-YYYY-MM-DD-HH:MM:SS.mmm from the clock; the bucket itself is not sent', () => {
    const launch = accept(config({ staging_bucket: 'gs://my-bucket' }));
    expect(jobSpec(launch).baseOutputDirectory).toEqual({
      outputUriPrefix: 'gs://my-bucket/aiplatform-custom-job-2024-05-06-07:08:09.012',
    });
    expect(JSON.stringify(launch.request)).not.toContain('staging');
    // A bare bucket name and a trailing slash give the same directory.
    for (const bucket of ['my-bucket', 'gs://my-bucket/']) {
      expect(jobSpec(accept(config({ staging_bucket: bucket }))).baseOutputDirectory).toEqual({
        outputUriPrefix: 'gs://my-bucket/aiplatform-custom-job-2024-05-06-07:08:09.012',
      });
    }
  });

  test('missing, empty or not a string is rejected', () => {
    problemAt(
      reject(config({ staging_bucket: undefined })),
      'spec.staging_bucket',
      'required: the Cloud Storage bucket',
    );
    problemAt(reject(config({ staging_bucket: '' })), 'spec.staging_bucket', 'required');
    problemAt(
      reject(config({ staging_bucket: 42 })),
      'spec.staging_bucket',
      'expected a bucket name, got number 42',
    );
  });
});

describe('spec.base_output_dir -> jobSpec.baseOutputDirectory.outputUriPrefix', () => {
  test('given, it replaces the default directory', () => {
    const launch = accept(config({ base_output_dir: 'gs://out/run-7' }));
    expect(jobSpec(launch).baseOutputDirectory).toEqual({ outputUriPrefix: 'gs://out/run-7' });
  });

  test('not a string is rejected', () => {
    problemAt(
      reject(config({ base_output_dir: { uri: 'gs://x' } })),
      'spec.base_output_dir',
      'expected a gs:// path, got a mapping',
    );
  });
});

describe('spec.labels -> labels (plus provenance labels)', () => {
  test('config labels, the labels input and the provenance labels all arrive', () => {
    const launch = accept(config({ labels: { team: 'vision', stage: 'dev' } }), {
      labels: { stage: 'ci', cost_center: 'r-d' },
      github: {
        repository: 'Octo/Trainer',
        runId: '123456',
        runAttempt: '2',
        sha: 'ABCDEF0123',
        headSha: 'feedface01',
        branch: 'Feature/Fast-IO',
        pr: 17,
      },
      launchId: 'Run-123456-2-abc',
      follow: { wait: false, timeoutSeconds: 600 },
    });
    expect(launch.request.customJob.labels).toEqual({
      team: 'vision',
      stage: 'ci',
      cost_center: 'r-d',
      'managed-by': 'wb-vertex-launch',
      'wandb-run-id': RUN_ID,
      'github-repository': 'octo_trainer',
      'github-run-id': '123456',
      'github-run-attempt': '2',
      'github-sha': 'abcdef0123',
      'github-head-sha': 'feedface01',
      'github-ref': 'feature-fast-io',
      'github-pr': '17',
      'wb-vertex-launch-id': 'run-123456-2-abc',
      'wb-vertex-launch-wait': 'detached',
    });
  });

  test('the wait label records how long the step follows: the input, else run.sync', () => {
    const labels = (overrides: Record<string, unknown>, run: Record<string, unknown> = {}) =>
      accept(config({}, run), overrides).request.customJob.labels ?? {};
    expect(labels({ follow: { timeoutSeconds: 7200 } })['wb-vertex-launch-wait']).toBe('7200');
    expect(
      labels({ follow: { timeoutSeconds: 7200 } }, { sync: false })['wb-vertex-launch-wait'],
    ).toBe('detached');
    expect(
      labels({ follow: { wait: true, timeoutSeconds: 60 } }, { sync: false })[
        'wb-vertex-launch-wait'
      ],
    ).toBe('60');
    // `plan` has no follow: no such label.
    expect(labels({})['wb-vertex-launch-wait']).toBeUndefined();
  });

  test('labels that break the Vertex rules are rejected, from the config and from the input', () => {
    const problems = reject(config({ labels: { Team: 'vision', stage: 'Dev Build', n: 3 } }), {
      labels: { '9lives': 'x' },
    });
    problemAt(problems, 'spec.labels.Team', 'label key "Team" must be 1-63 characters');
    problemAt(problems, 'spec.labels', 'expected a mapping of label keys to string values');
    problemAt(problems, 'labels', 'label key "9lives"');
  });
});

describe('spec.encryption_spec_key_name -> encryptionSpec.kmsKeyName', () => {
  const key = 'projects/p/locations/us-central1/keyRings/r/cryptoKeys/k';
  test('given, it is sent; absent, no encryptionSpec', () => {
    expect(
      accept(config({ encryption_spec_key_name: key })).request.customJob.encryptionSpec,
    ).toEqual({ kmsKeyName: key });
    expect(accept(config()).request.customJob).not.toHaveProperty('encryptionSpec');
  });
  test('not a string is rejected', () => {
    problemAt(
      reject(config({ encryption_spec_key_name: true })),
      'spec.encryption_spec_key_name',
      'expected a Cloud KMS key name',
    );
  });
});

describe('spec.persistent_resource_id / run.persistent_resource_id -> jobSpec.persistentResourceId', () => {
  test('either one sets it; run wins over spec', () => {
    expect(
      jobSpec(accept(config({ persistent_resource_id: 'from-spec' }))).persistentResourceId,
    ).toBe('from-spec');
    expect(
      jobSpec(accept(config({}, { persistent_resource_id: 'from-run' }))).persistentResourceId,
    ).toBe('from-run');
    expect(
      jobSpec(
        accept(
          config({ persistent_resource_id: 'from-spec' }, { persistent_resource_id: 'from-run' }),
        ),
      ).persistentResourceId,
    ).toBe('from-run');
  });
  test('not a string is rejected, in either section', () => {
    problemAt(
      reject(config({}, { persistent_resource_id: 7 })),
      'run.persistent_resource_id',
      'expected a persistent resource id',
    );
    problemAt(
      reject(config({ persistent_resource_id: 7 })),
      'spec.persistent_resource_id',
      'expected a persistent resource id',
    );
  });
});

describe('run arguments -> jobSpec', () => {
  // [key, a value, the jobSpec fragment it gives, a wrong value, the message fragment]
  const rows: [string, unknown, Record<string, unknown>, unknown, string][] = [
    [
      'service_account',
      'trainer@p.iam.gserviceaccount.com',
      { serviceAccount: 'trainer@p.iam.gserviceaccount.com' },
      5,
      'expected a service account email',
    ],
    [
      'network',
      'projects/12345/global/networks/vpc',
      { network: 'projects/12345/global/networks/vpc' },
      ['vpc'],
      'expected a network name',
    ],
    [
      'reserved_ip_ranges',
      ['range-a', 'range-b'],
      { reservedIpRanges: ['range-a', 'range-b'] },
      'range-a',
      'expected a list of range names',
    ],
    ['timeout', 3600, { scheduling: { timeout: '3600s' } }, '1h', 'expected seconds (e.g. 3600)'],
    [
      'restart_job_on_worker_restart',
      true,
      { scheduling: { restartJobOnWorkerRestart: true } },
      'yes',
      'expected true or false',
    ],
    [
      'disable_retries',
      true,
      { scheduling: { disableRetries: true } },
      'true',
      'expected true or false',
    ],
    [
      'scheduling_strategy',
      'SPOT',
      { scheduling: { strategy: 'SPOT' } },
      'spot',
      'is not one of STRATEGY_UNSPECIFIED, ON_DEMAND, LOW_COST, STANDARD, SPOT, FLEX_START',
    ],
    [
      'max_wait_duration',
      1800,
      { scheduling: { maxWaitDuration: '1800s' } },
      'forever',
      'expected seconds',
    ],
    ['enable_web_access', true, { enableWebAccess: true }, 1, 'expected true or false'],
    [
      'enable_dashboard_access',
      true,
      { enableDashboardAccess: true },
      'on',
      'expected true or false',
    ],
    [
      'tensorboard',
      'projects/p/locations/us-central1/tensorboards/77',
      { tensorboard: 'projects/p/locations/us-central1/tensorboards/77' },
      77,
      'expected a Tensorboard resource name',
    ],
    [
      'experiment',
      'exp-1',
      { experiment: `${CONTEXTS}/exp-1` },
      { name: 'exp-1' },
      'expected an experiment name',
    ],
  ];

  test.each(rows)('run.%s passes with its exact fragment', (key, value, fragment) => {
    const spec = jobSpec(accept(config({}, { [key]: value })));
    expect(spec).toMatchObject(fragment);
    // Nothing else is set beyond the pools and the output directory.
    const others = Object.keys(spec).filter(
      (k) => !['workerPoolSpecs', 'baseOutputDirectory'].includes(k),
    );
    expect(others).toEqual(Object.keys(fragment));
    if (fragment.scheduling) expect(spec.scheduling).toEqual(fragment.scheduling);
  });

  test.each(rows)(
    'run.%s rejects a wrong value at its path',
    (key, _value, _fragment, wrong, message) => {
      problemAt(reject(config({}, { [key]: wrong })), `run.${key}`, message);
    },
  );

  test('falsy values unset; a scheduling block only when something in it is set', () => {
    const spec = jobSpec(
      accept(
        config(
          {},
          {
            service_account: '',
            network: null,
            reserved_ip_ranges: [],
            timeout: 0,
            restart_job_on_worker_restart: false,
            disable_retries: false,
            scheduling_strategy: 'STRATEGY_UNSPECIFIED',
            enable_web_access: false,
            enable_dashboard_access: false,
          },
        ),
      ),
    );
    expect(Object.keys(spec).sort()).toEqual(['baseOutputDirectory', 'workerPoolSpecs']);
  });

  test('max_wait_duration 0 is sent as "0s" (wait for ever), not dropped as the SDK does', () => {
    for (const zero of [0, '0s']) {
      const spec = jobSpec(accept(config({}, { max_wait_duration: zero })));
      expect(spec.scheduling).toEqual({ maxWaitDuration: '0s' });
    }
    expect(jobSpec(accept(config({}, {}))).scheduling).toBeUndefined();
  });

  test('durations accept "Ns" strings and print as "Ns"', () => {
    const spec = jobSpec(accept(config({}, { timeout: '7200s', max_wait_duration: '60s' })));
    expect(spec.scheduling).toEqual({ timeout: '7200s', maxWaitDuration: '60s' });
    problemAt(reject(config({}, { timeout: -5 })), 'run.timeout', 'expected seconds');
  });

  test('fractional seconds keep at most 9 digits; beyond the Duration range is rejected', () => {
    expect(
      jobSpec(accept(config({}, { timeout: 0.1 + 0.2, max_wait_duration: 1.5 }))).scheduling,
    ).toEqual({ timeout: '0.3s', maxWaitDuration: '1.5s' });
    problemAt(reject(config({}, { timeout: 1e21 })), 'run.timeout', 'expected seconds');
    problemAt(
      reject(config({}, { max_wait_duration: '999999999999s' })),
      'run.max_wait_duration',
      'expected seconds',
    );
  });

  test('disable_retries forces restart_job_on_worker_restart off, with a warning', () => {
    const launch = accept(
      config({}, { disable_retries: true, restart_job_on_worker_restart: true, timeout: 60 }),
    );
    expect(jobSpec(launch).scheduling).toEqual({ timeout: '60s', disableRetries: true });
    expect(launch.warnings).toContain(
      'run.disable_retries is true, so run.restart_job_on_worker_restart is set to false',
    );
  });

  test('tensorboard and experiment are exclusive', () => {
    const problems = reject(
      config(
        {},
        { tensorboard: 'projects/p/locations/us-central1/tensorboards/1', experiment: 'exp' },
      ),
    );
    problemAt(problems, 'run.tensorboard', 'tensorboard and experiment cannot both be set');
  });
});

describe('run.experiment and run.experiment_run -> jobSpec.experiment, jobSpec.experimentRun', () => {
  test("short names become metadata context resource names in the job's project and region", () => {
    const launch = accept(
      config({ location: 'europe-west4' }, { experiment: 'churn', experiment_run: 'run-1' }),
    );
    expect(jobSpec(launch)).toMatchObject({
      experiment:
        'projects/my-project-123/locations/europe-west4/metadataStores/default/contexts/churn',
      experimentRun:
        'projects/my-project-123/locations/europe-west4/metadataStores/default/contexts/churn-run-1',
    });
  });

  test('full resource names are kept as given', () => {
    const experiment = 'projects/p/locations/us-east1/metadataStores/default/contexts/e';
    const experimentRun = 'projects/p/locations/us-east1/metadataStores/default/contexts/e-r';
    expect(
      jobSpec(accept(config({}, { experiment, experiment_run: experimentRun }))),
    ).toMatchObject({ experiment, experimentRun });
  });

  test('experiment_run without experiment, or not a string, is rejected', () => {
    problemAt(
      reject(config({}, { experiment_run: 'run-1' })),
      'run.experiment_run',
      'experiment_run needs experiment',
    );
    problemAt(
      reject(config({}, { experiment: 'e', experiment_run: 3 })),
      'run.experiment_run',
      'expected an experiment run name',
    );
  });
});

describe('run.sync -> the wait decision', () => {
  test('returned beside the request, never sent', () => {
    const launch = accept(config({}, { sync: false }));
    expect(launch.sync).toBe(false);
    expect(accept(config({}, { sync: true })).sync).toBe(true);
    expect(accept(config()).sync).toBeUndefined();
    expect(JSON.stringify(launch.request)).not.toContain('sync');
  });
  test('not a boolean is rejected', () => {
    problemAt(
      reject(config({}, { sync: 'no' })),
      'run.sync',
      'expected true or false, got string "no"',
    );
  });
});
