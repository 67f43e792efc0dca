// W&B Launch jobs: an image job's image and entrypoint from its wandb-job.json; a job that
// needs a build refused with what to do instead; the entrypoint as every container pool's
// command in the compiled request, and the job recorded for the run (WANDB_ARTIFACTS).
import { jobFromJson, parseJobPath } from '../../src/core/wandb-launch/job.ts';
import { jobParts } from '../../src/core/wandb-launch/launch-parts.ts';
import { accept, config, pool } from './compile-helpers.ts';

const PATH = 'team/proj/trainer:v3';
const IMAGE = 'us-docker.pkg.dev/p/r/trainer@sha256:' + '0'.repeat(64);

test('an image job: its image, and its entrypoint when it has one', () => {
  const json = {
    source_type: 'image',
    source: { image: IMAGE, entrypoint: ['python', 'train.py'] },
  };
  expect(jobFromJson(PATH, JSON.stringify(json))).toEqual({
    ok: true,
    job: { path: PATH, image: IMAGE, entrypoint: ['python', 'train.py'] },
  });
  const bare = jobFromJson(
    PATH,
    JSON.stringify({ source_type: 'image', source: { image: IMAGE } }),
  );
  expect(bare).toEqual({ ok: true, job: { path: PATH, image: IMAGE } });
});

test('a repo or artifact job needs a build: refused, pointing at the registry input', () => {
  const result = jobFromJson(PATH, JSON.stringify({ source_type: 'repo', source: { git: {} } }));
  expect(result).toEqual({
    ok: false,
    needsBuild: true,
    message:
      'W&B job team/proj/trainer:v3 has source type repo, so its image would have to be built; wb-vertex-launch runs image jobs only: build from the repository with the registry input instead',
  });
});

test('a malformed wandb-job.json is refused, and is not a build', () => {
  expect(jobFromJson(PATH, '{')).toMatchObject({ ok: false, needsBuild: false });
  expect(jobFromJson(PATH, '{"source_type":"image","source":{}}')).toEqual({
    ok: false,
    needsBuild: false,
    message: 'W&B job team/proj/trainer:v3 names no source.image',
  });
  expect(
    jobFromJson(
      PATH,
      JSON.stringify({ source_type: 'image', source: { image: IMAGE, entrypoint: 'python x' } }),
    ),
  ).toMatchObject({ ok: false, message: expect.stringContaining('not a list of strings') });
});

test('job paths: the alias defaults to latest', () => {
  expect(parseJobPath('team/proj/trainer')).toEqual({
    entity: 'team',
    project: 'proj',
    name: 'trainer',
    alias: 'latest',
  });
  expect(parseJobPath('proj/trainer:v1')).toBeUndefined();
});

test("the job's entrypoint is every container pool's command; the run records the job", () => {
  const launch = accept(
    config({
      worker_pool_specs: [
        pool({ container_spec: { image_uri: '${image_uri}', command: ['old'] } }),
        {},
        pool({
          python_package_spec: {
            executor_image_uri: 'us-docker.pkg.dev/x/y/z:1',
            package_uris: ['gs://b/p.tar.gz'],
            python_module: 'trainer.task',
          },
          container_spec: undefined,
        }),
      ],
    }),
    {
      image: IMAGE,
      wandbLaunch: jobParts({ path: PATH, image: IMAGE, entrypoint: ['python', 'train.py'] }),
    },
  );
  const [first, placeholder, packaged] = launch.request.customJob.jobSpec.workerPoolSpecs as Record<
    string,
    Record<string, unknown>
  >[];
  expect(first.containerSpec.command).toEqual(['python', 'train.py']);
  expect(first.containerSpec.imageUri).toBe(IMAGE);
  expect(placeholder).toEqual({});
  expect(packaged.pythonPackageSpec.command).toBeUndefined();
  const env = Object.fromEntries(
    (first.containerSpec.env as { name: string; value: string }[]).map((e) => [e.name, e.value]),
  );
  expect(JSON.parse(env.WANDB_ARTIFACTS)).toEqual({ _wandb_job: PATH });
});

test("without an entrypoint the config's own command stays", () => {
  const launch = accept(
    config({
      worker_pool_specs: [
        pool({ container_spec: { image_uri: '${image_uri}', command: ['own'] } }),
      ],
    }),
    { wandbLaunch: jobParts({ path: PATH, image: IMAGE }) },
  );
  const [first] = launch.request.customJob.jobSpec.workerPoolSpecs as Record<
    string,
    Record<string, unknown>
  >[];
  expect(first.containerSpec.command).toEqual(['own']);
});
