// The pure parts of builder: kaniko: the build-context-store input, the object names derived
// from a digest, the builder inputs, and the build job's request (executor arguments, secret
// build args kept out of them, labels reconcile never mistakes for a launch). The emulator's
// reading of the arguments is checked against what the action writes.
import { parseKanikoArgs } from '../../emulators/vertex/kaniko.ts';
import type { Problem } from '../../src/core/errors.ts';
import { parseBuilderInputs } from '../../src/core/image/builder-inputs.ts';
import {
  contextObjectName,
  digestObjectName,
  fuseMountPath,
  parseContextStore,
} from '../../src/core/image/context-store.ts';
import {
  DEFAULT_KANIKO_IMAGE,
  kanikoArgs,
  kanikoJobRequest,
  secretBuildArgValues,
  type KanikoJobSpec,
} from '../../src/core/image/kaniko.ts';
import { reconcileFilter } from '../../src/core/reconcile.ts';

const HEX = 'ab'.repeat(32);

describe('build-context-store', () => {
  test.each([
    ['gs://my-bucket', { bucket: 'my-bucket', prefix: '' }],
    ['gs://my-bucket/', { bucket: 'my-bucket', prefix: '' }],
    ['gs://my-bucket/ci/contexts/', { bucket: 'my-bucket', prefix: 'ci/contexts' }],
    ['gs://a.b_c-d/x', { bucket: 'a.b_c-d', prefix: 'x' }],
  ])('%s', (value, store) => {
    expect(parseContextStore(value)).toEqual({ ok: true, store });
  });

  test.each([
    ['my-bucket/prefix', /not a Cloud Storage location/],
    ['s3://my-bucket', /not a Cloud Storage location/],
    ['gs://', /"" is not a bucket name/],
    ['gs://My-Bucket', /"My-Bucket" is not a bucket name/],
    ['gs://ab', /"ab" is not a bucket name/],
    ['gs://-bucket', /is not a bucket name/],
    [`gs://${'b'.repeat(64)}`, /longer than 63 characters/],
    ['gs://google-things', /no "goog" prefix/],
    ['gs://bucket/a//b', /empty, "\." or "\.\." part/],
    ['gs://bucket/a/../b', /empty, "\." or "\.\." part/],
  ])('%s is refused on the input', (value, message) => {
    const r = parseContextStore(value);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.path).toBe('build-context-store');
    expect(r.problem.message).toMatch(message);
    expect(r.problem.message).toContain(`got "${value}"`);
  });

  test('object names: the context by its full digest, the digest file by build', () => {
    const store = { bucket: 'b', prefix: 'ci/ctx' };
    expect(contextObjectName(store, HEX)).toBe(`ci/ctx/ctx-${HEX}.tar.gz`);
    expect(contextObjectName({ bucket: 'b', prefix: '' }, HEX)).toBe(`ctx-${HEX}.tar.gz`);
    expect(digestObjectName(store, '42-1-abc')).toBe('ci/ctx/builds/42-1-abc.digest');
    expect(fuseMountPath('b', 'ci/ctx/builds/x.digest')).toBe('/gcs/b/ci/ctx/builds/x.digest');
    expect(() => contextObjectName(store, 'not-a-digest')).toThrow(/not a sha256/);
  });
});

describe('builder inputs', () => {
  const read = (inputs: Record<string, string>) => {
    const problems: Problem[] = [];
    const builder = parseBuilderInputs((name) => inputs[name] ?? '', problems);
    return { builder, problems };
  };

  test('docker by default; build-context-store and kaniko-image are not needed', () => {
    expect(read({})).toEqual({ builder: { kind: 'docker' }, problems: [] });
    expect(read({ builder: 'docker' }).builder).toEqual({ kind: 'docker' });
  });

  test('kaniko with a store; the default executor is the maintained fork, pinned', () => {
    expect(read({ builder: 'kaniko', 'build-context-store': 'gs://ctx/p' })).toEqual({
      builder: {
        kind: 'kaniko',
        contextStore: { bucket: 'ctx', prefix: 'p' },
        executorImage: DEFAULT_KANIKO_IMAGE,
      },
      problems: [],
    });
    expect(DEFAULT_KANIKO_IMAGE).toMatch(/^martizih\/kaniko:v\d+\.\d+\.\d+$/);
    expect(
      read({
        builder: 'kaniko',
        'build-context-store': 'gs://ctx',
        'kaniko-image': 'us-docker.pkg.dev/p/mirror/kaniko@sha256:' + HEX,
      }).builder,
    ).toMatchObject({ executorImage: 'us-docker.pkg.dev/p/mirror/kaniko@sha256:' + HEX });
  });

  test('each mistake is a problem on its input', () => {
    expect(read({ builder: 'buildah' }).problems).toEqual([
      {
        path: 'builder',
        message: expect.stringMatching(/"buildah" is not a builder: docker .* or kaniko/),
      },
    ]);
    expect(read({ builder: 'kaniko' }).problems).toEqual([
      {
        path: 'build-context-store',
        message: expect.stringMatching(/^required with builder: kaniko/),
      },
    ]);
    expect(read({ builder: 'kaniko', 'build-context-store': 'ctx' }).problems[0].path).toBe(
      'build-context-store',
    );
    expect(
      read({ builder: 'kaniko', 'build-context-store': 'gs://ctx', 'kaniko-image': 'a b' })
        .problems[0].path,
    ).toBe('kaniko-image');
  });
});

describe('the build job', () => {
  const spec: KanikoJobSpec = {
    project: 'p',
    region: 'europe-west4',
    executorImage: DEFAULT_KANIKO_IMAGE,
    contextUri: `gs://ctx/ci/ctx-${HEX}.tar.gz`,
    dockerfile: 'docker/train.Dockerfile',
    destinations: [
      'europe-west4-docker.pkg.dev/p/r/trainer:ctx-abababababababababab',
      'europe-west4-docker.pkg.dev/p/r/trainer:f00d',
    ],
    cacheRepository: 'europe-west4-docker.pkg.dev/p/r/trainer/cache',
    digestFile: '/gcs/ctx/ci/builds/7-1-x.digest',
    platform: 'linux/amd64',
    buildArgs: { PYTHON: '3.12', HF_TOKEN: 'hf_secret_value' },
    serviceAccount: 'trainer@p.iam.gserviceaccount.com',
    tag: 'ctx-abababababababababab',
    github: { repository: 'Org/Repo', runId: '7', runAttempt: '2', sha: 'F00D' },
    buildId: '7-2-abcdef',
    timeoutSeconds: 3600,
  };

  test('executor arguments; a secret-looking build arg passes by name, its value in the environment', () => {
    const { args, env } = kanikoArgs(spec);
    expect(args).toEqual([
      `--context=gs://ctx/ci/ctx-${HEX}.tar.gz`,
      '--dockerfile=docker/train.Dockerfile',
      '--destination=europe-west4-docker.pkg.dev/p/r/trainer:ctx-abababababababababab',
      '--destination=europe-west4-docker.pkg.dev/p/r/trainer:f00d',
      '--cache=true',
      '--cache-repo=europe-west4-docker.pkg.dev/p/r/trainer/cache',
      '--digest-file=/gcs/ctx/ci/builds/7-1-x.digest',
      '--custom-platform=linux/amd64',
      '--build-arg=HF_TOKEN',
      '--build-arg=PYTHON=3.12',
    ]);
    expect(args.join(' ')).not.toContain('hf_secret_value');
    expect(env).toEqual([{ name: 'HF_TOKEN', value: 'hf_secret_value' }]);
    expect(secretBuildArgValues(spec.buildArgs)).toEqual(['hf_secret_value']);
    expect(kanikoArgs({ ...spec, insecureRegistry: '127.0.0.1:5000' }).args.at(-1)).toBe(
      '--insecure-registry=127.0.0.1:5000',
    );
  });

  test('the request: region, service account, timeout, CPU machine, labels without managed-by', () => {
    const r = kanikoJobRequest(spec);
    expect(r.parent).toBe('projects/p/locations/europe-west4');
    expect(r.customJob.displayName).toBe('image build ctx-abababababababababab for Org/Repo');
    expect(r.customJob.jobSpec).toEqual({
      workerPoolSpecs: [
        {
          machineSpec: { machineType: 'n1-standard-4' },
          replicaCount: '1',
          containerSpec: {
            imageUri: DEFAULT_KANIKO_IMAGE,
            args: kanikoArgs(spec).args,
            env: [{ name: 'HF_TOKEN', value: 'hf_secret_value' }],
          },
        },
      ],
      scheduling: { timeout: '3600s' },
      serviceAccount: 'trainer@p.iam.gserviceaccount.com',
    });
    expect(r.customJob.labels).toEqual({
      'wb-vertex-launch-role': 'image-build',
      'wb-vertex-launch-build': '7-2-abcdef',
      'github-repository': 'org_repo',
      'github-run-id': '7',
      'github-run-attempt': '2',
      'github-sha': 'f00d',
    });
    // Reconcile looks for managed-by=wb-vertex-launch only: a build job is never a launch.
    expect(reconcileFilter('Org/Repo', new Date())).toContain(
      'labels.managed-by="wb-vertex-launch"',
    );
    const noSa = kanikoJobRequest({ ...spec, serviceAccount: undefined, buildArgs: {} });
    expect(noSa.customJob.jobSpec.serviceAccount).toBeUndefined();
    expect(
      (noSa.customJob.jobSpec.workerPoolSpecs as { containerSpec: object }[])[0].containerSpec,
    ).not.toHaveProperty('env');
  });

  test("the emulator's executor stand-in reads the arguments as the action writes them", () => {
    const { args, env } = kanikoArgs({ ...spec, insecureRegistry: '127.0.0.1:5000' });
    const parsed = parseKanikoArgs(args, Object.fromEntries(env.map((e) => [e.name, e.value])));
    expect(parsed).toEqual({
      context: spec.contextUri,
      dockerfile: spec.dockerfile,
      destinations: spec.destinations,
      digestFile: spec.digestFile,
      platform: 'linux/amd64',
      buildArgs: { PYTHON: '3.12', HF_TOKEN: 'hf_secret_value' },
      cache: true,
      cacheRepo: spec.cacheRepository,
      insecureRegistries: ['127.0.0.1:5000'],
      other: [],
    });
  });
});
