// The `registry` input and prebuilt image references: accepted shapes, rejected ones with the
// expected form in the message, and the region / host warnings.
import { UserError } from '../../src/core/errors.ts';
import {
  parseRegistry,
  prebuiltImageWarning,
  registryRegionWarning,
  splitReference,
} from '../../src/core/image/registry.ts';

describe('parseRegistry accepts', () => {
  test.each([
    [
      'us-central1-docker.pkg.dev/my-project/my-repo/trainer',
      'artifact-registry',
      'us-central1',
      'my-project',
      'my-repo',
      'trainer',
    ],
    [
      'europe-west4-docker.pkg.dev/proj-123/ml/team/trainer',
      'artifact-registry',
      'europe-west4',
      'proj-123',
      'ml',
      'team/trainer',
    ],
    [
      'us-docker.pkg.dev/my-project/my-repo/trainer',
      'artifact-registry',
      'us',
      'my-project',
      'my-repo',
      'trainer',
    ],
    [
      'europe-docker.pkg.dev/my-project/my-repo/trainer',
      'artifact-registry',
      'europe',
      'my-project',
      'my-repo',
      'trainer',
    ],
    [
      'asia-docker.pkg.dev/my-project/my-repo/trainer',
      'artifact-registry',
      'asia',
      'my-project',
      'my-repo',
      'trainer',
    ],
    [
      'us-east1-docker.pkg.dev/example.com/my-project/repo/img',
      'artifact-registry',
      'us-east1',
      'example.com:my-project',
      'repo',
      'img',
    ],
    ['gcr.io/my-project/trainer', 'gcr', 'us', 'my-project', undefined, 'trainer'],
    ['eu.gcr.io/my-project/team/trainer', 'gcr', 'europe', 'my-project', undefined, 'team/trainer'],
    ['asia.gcr.io/my-project/trainer', 'gcr', 'asia', 'my-project', undefined, 'trainer'],
  ])('%s', (value, kind, location, project, arRepository, image) => {
    const r = parseRegistry(value);
    expect(r).toMatchObject({ kind, location, project, image, host: value.split('/')[0] });
    expect(r.arRepository).toBe(arRepository);
    expect(r.name).toBe(value);
    expect(r.repository).toBe(value.split('/').slice(1).join('/'));
    expect(r.warnings).toEqual([]);
  });

  test.each([
    ['127.0.0.1:5000/team/trainer', '127.0.0.1:5000', 'team/trainer'],
    ['localhost:5000/trainer', 'localhost:5000', 'trainer'],
    ['ghcr.io/org/trainer', 'ghcr.io', 'org/trainer'],
    ['registry.example.com/a/b/c', 'registry.example.com', 'a/b/c'],
  ])('another host with a warning: %s', (value, host, repository) => {
    const r = parseRegistry(value);
    expect(r.kind).toBe('other');
    expect(r.host).toBe(host);
    expect(r.repository).toBe(repository);
    expect(r.warnings.join()).toMatch(
      new RegExp(`registry host ${host.replace(/\./g, '\\.')} is not Artifact Registry`),
    );
  });

  test('trims whitespace and a trailing slash', () => {
    expect(parseRegistry('  gcr.io/my-project/trainer/ ').name).toBe('gcr.io/my-project/trainer');
  });
});

describe('parseRegistry rejects with the expected form', () => {
  test.each([
    ['', /empty/],
    [
      'us-central1-docker.pkg.dev/my-project/my-repo/trainer:latest',
      /has a tag ":latest".*without tag or digest/,
    ],
    [
      `us-central1-docker.pkg.dev/my-project/my-repo/trainer@sha256:${'a'.repeat(64)}`,
      /has a digest/,
    ],
    ['127.0.0.1:5000/team/trainer:v1', /has a tag ":v1"/],
    ['trainer', /no registry host.*Docker Hub/],
    ['myuser/trainer', /no registry host/],
    ['https://us-central1-docker.pkg.dev/p/r/i', /drop the URL scheme/],
    ['us-central1-docker.pkg.dev/my-project/my-repo', /PROJECT\/REPO\/IMAGE/],
    ['us-central1-docker.pkg.dev/my-project', /PROJECT\/REPO\/IMAGE/],
    ['us-central1-docker.pkg.dev/My-Project/repo/img', /lowercase/],
    ['us-central1-docker.pkg.dev/p1/repo/img', /not a valid project id/],
    [
      'us-central1-docker.pkg.dev/my-project/9repo/img',
      /not a valid Artifact Registry repository id/,
    ],
    ['us-central1.pkg.dev/my-project/repo/img', /not an Artifact Registry Docker host/],
    ['gcr.io/trainer', /gcr\.io path needs PROJECT\/IMAGE/],
    ['127.0.0.1:5000/', /no image path/],
    ['host.example.com/a//b', /not a valid image path component/],
    ['us-central1-docker.pkg.dev/my project/repo/img', /whitespace/],
  ])('%j', (value, message) => {
    let err: unknown;
    try {
      parseRegistry(value);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const u = err as UserError;
    expect(u.phase).toBe('inputs');
    expect(u.message).toMatch(message);
    expect(u.problems[0].path).toBe('registry');
    if (!/tag|digest/.test(u.message))
      expect(u.message).toMatch(/REGION-docker\.pkg\.dev\/PROJECT\/REPO\/IMAGE|PROJECT\/IMAGE/);
  });
});

describe('registryRegionWarning', () => {
  test.each([
    ['us-central1-docker.pkg.dev/my-project/r/i', 'us-central1', false],
    ['us-central1-docker.pkg.dev/my-project/r/i', 'europe-west4', true],
    ['us-docker.pkg.dev/my-project/r/i', 'us-east1', false],
    ['us-docker.pkg.dev/my-project/r/i', 'europe-west4', true],
    ['europe-docker.pkg.dev/my-project/r/i', 'europe-west4', false],
    ['asia-docker.pkg.dev/my-project/r/i', 'asia-northeast1', false],
    ['asia-docker.pkg.dev/my-project/r/i', 'us-central1', true],
    ['eu.gcr.io/my-project/i', 'europe-west1', false],
    ['gcr.io/my-project/i', 'asia-east1', true],
    ['127.0.0.1:5000/team/trainer', 'us-central1', false],
  ])('%s for a job in %s: warns=%s', (value, region, warns) => {
    const w = registryRegionWarning(parseRegistry(value), region);
    expect(w !== undefined).toBe(warns);
    if (w) expect(w).toContain(region);
  });
});

describe('prebuiltImageWarning', () => {
  test.each([
    'us-central1-docker.pkg.dev/p/r/trainer:1.0',
    `europe-docker.pkg.dev/p/r/trainer@sha256:${'b'.repeat(64)}`,
    'gcr.io/p/trainer',
    'eu.gcr.io/p/trainer:latest',
    'python:3.12',
    'pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime',
    'docker.io/library/ubuntu:24.04',
  ])('no warning for %s', (image) => {
    expect(prebuiltImageWarning(image)).toBeUndefined();
  });

  test.each([
    'ghcr.io/org/trainer:1',
    'quay.io/org/trainer',
    'localhost:5000/trainer',
    '127.0.0.1:5000/x/y',
  ])('warns for %s', (image) => {
    const w = prebuiltImageWarning(image);
    expect(w).toMatch(/neither Artifact Registry/);
    expect(w).toContain(image);
  });
});

describe('splitReference (Docker reference rules)', () => {
  test.each([
    ['ubuntu', { host: undefined, path: 'ubuntu' }],
    ['ubuntu:22.04', { host: undefined, path: 'ubuntu', tag: '22.04' }],
    ['localhost/x', { host: 'localhost', path: 'x' }],
    ['localhost:5000/x:1', { host: 'localhost:5000', path: 'x', tag: '1' }],
    ['a.b/c/d@sha256:00', { host: 'a.b', path: 'c/d', digest: 'sha256:00' }],
    ['user/repo', { host: undefined, path: 'user/repo' }],
  ])('%s', (ref, expected) => {
    expect(splitReference(ref)).toEqual({ tag: undefined, digest: undefined, ...expected });
  });
});
