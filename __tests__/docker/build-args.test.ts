// The docker command lines the action runs: what is passed where, and that secret-looking
// build args stay off the command line.
import {
  buildArgFlags,
  buildxArgs,
  classicBuildArgs,
  type BuildSpec,
} from '../../src/docker/build.ts';

const spec: BuildSpec = {
  contextDir: '/ws/app',
  dockerfile: '/ws/app/Dockerfile',
  tags: ['r.example/p/i:ctx-1', 'r.example/p/i:abc'],
  buildArgs: { STAGE: 'prod', HF_TOKEN: 'hf_secret', API_KEY: 'k' },
  platform: 'linux/amd64',
  cacheFrom: ['type=gha'],
  cacheTo: ['type=gha,mode=max'],
  cacheTags: ['r.example/p/i:buildcache'],
};

test('secret-looking build args are BuildKit secrets read from the environment, others --build-arg', () => {
  const { flags, env } = buildArgFlags(spec.buildArgs);
  expect(flags).toEqual([
    '--build-arg',
    'STAGE=prod',
    '--secret',
    'id=HF_TOKEN,env=HF_TOKEN',
    '--secret',
    'id=API_KEY,env=API_KEY',
  ]);
  expect(env).toEqual({ HF_TOKEN: 'hf_secret', API_KEY: 'k' });
  expect(flags.join(' ')).not.toContain('hf_secret');
});

test('buildx: platform, file, every tag, caches passed through, metadata file, --push, context last', () => {
  const { flags } = buildArgFlags(spec.buildArgs);
  expect(buildxArgs(spec, flags, '/tmp/m.json')).toEqual([
    'buildx',
    'build',
    '--platform',
    'linux/amd64',
    '--file',
    '/ws/app/Dockerfile',
    '--tag',
    'r.example/p/i:ctx-1',
    '--tag',
    'r.example/p/i:abc',
    '--tag',
    'r.example/p/i:buildcache',
    ...flags,
    '--cache-from',
    'type=gha',
    '--cache-to',
    'type=gha,mode=max',
    '--metadata-file',
    '/tmp/m.json',
    '--push',
    '/ws/app',
  ]);
});

test('classic builder: the cache tag, the pulled cache images as --cache-from, context last', () => {
  const args = classicBuildArgs({ ...spec, cacheFrom: ['r.example/p/i:buildcache'] }, []);
  expect(args).toEqual([
    'build',
    '--platform',
    'linux/amd64',
    '--file',
    '/ws/app/Dockerfile',
    '--tag',
    'r.example/p/i:ctx-1',
    '--tag',
    'r.example/p/i:abc',
    '--tag',
    'r.example/p/i:buildcache',
    '--cache-from',
    'r.example/p/i:buildcache',
    '/ws/app',
  ]);
});
