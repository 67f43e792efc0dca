// Region-bound parts follow the attempt's region: `{region}` in the staging bucket (compiled),
// the request's parent, the image; and preflight's reasons a fallback region cannot be used.
import { describe, expect, test } from '@jest/globals';
import {
  bucketReasons,
  fallbackFindings,
  imageReasons,
} from '../../src/core/preflight/fallback-regions.ts';
import { imageSources } from '../../src/core/preflight/offline.ts';
import { imageInRegion, inputsInRegion, retarget } from '../../src/core/region-bound.ts';
import { accept } from './compile-helpers.ts';

const compiled = (yaml: string, image?: string) => accept(yaml, image ? { image } : {});

const CONFIG = (bucket: string) =>
  [
    'spec:',
    '  worker_pool_specs:',
    '    - machine_spec: { machine_type: n1-standard-4 }',
    '      replica_count: 1',
    '      container_spec: { image_uri: "${image_uri}" }',
    `  staging_bucket: ${bucket}`,
  ].join('\n');

describe('the request in another region', () => {
  test('{region} in the staging bucket: bound at compile, rebound per attempt, parent moved', () => {
    const launch = compiled(CONFIG('gs://stage-{region}'));
    expect(launch.stagingBucket).toBe(`gs://stage-${launch.region}`);
    const prefix = (l: typeof launch) =>
      (l.request.customJob.jobSpec as { baseOutputDirectory: { outputUriPrefix: string } })
        .baseOutputDirectory.outputUriPrefix;
    expect(prefix(launch)).toMatch(
      new RegExp(`^gs://stage-${launch.region}/aiplatform-custom-job-`),
    );

    const moved = retarget(launch, 'europe-west4');
    expect(moved.region).toBe('europe-west4');
    expect(moved.request.parent).toBe(`projects/${launch.project}/locations/europe-west4`);
    expect(moved.stagingBucket).toBe('gs://stage-europe-west4');
    expect(prefix(moved)).toBe(prefix(launch).replace(launch.region, 'europe-west4'));
    // Everything else is the same request.
    expect(moved.request.customJob.labels).toEqual(launch.request.customJob.labels);
    expect(moved.request.customJob.displayName).toBe(launch.request.customJob.displayName);
  });

  test('a bucket without {region} stays as it is', () => {
    const launch = compiled(CONFIG('gs://one-bucket'));
    expect(launch.regionTemplates).toBeUndefined();
    expect(retarget(launch, 'us-east4').stagingBucket).toBe('gs://one-bucket');
  });

  test('the image: {region} in image or registry follows the region; the built digest is kept', () => {
    const inputs = inputsInRegion(
      { registry: '{region}-docker.pkg.dev/p-123456/r/train' },
      'us-central1',
    );
    expect(inputs.registry).toBe('us-central1-docker.pkg.dev/p-123456/r/train');
    const built = {
      uri: `${inputs.registry}@sha256:${'a'.repeat(64)}`,
      digest: `sha256:${'a'.repeat(64)}`,
    };
    expect(imageInRegion(inputs.regionTemplates!, built, 'us-east4')).toEqual({
      from: built.uri,
      to: `us-east4-docker.pkg.dev/p-123456/r/train@sha256:${'a'.repeat(64)}`,
    });
    const prebuilt = inputsInRegion(
      { image: '{region}-docker.pkg.dev/p-123456/r/t:1' },
      'us-central1',
    );
    expect(
      imageInRegion(prebuilt.regionTemplates!, { uri: prebuilt.image! }, 'europe-west4')?.to,
    ).toBe('europe-west4-docker.pkg.dev/p-123456/r/t:1');
    expect(
      imageInRegion(
        { image: 'us-docker.pkg.dev/p/r/t:1' },
        { uri: 'us-docker.pkg.dev/p/r/t:1' },
        'us-east4',
      ),
    ).toBeUndefined();

    const launch = compiled(CONFIG('gs://b'));
    const pool = (l: typeof launch) =>
      (
        l.request.customJob.jobSpec as {
          workerPoolSpecs: Array<{ containerSpec: { imageUri: string } }>;
        }
      ).workerPoolSpecs[0].containerSpec.imageUri;
    const moved = retarget(launch, 'us-east4', {
      from: pool(launch),
      to: 'us-east4-docker.pkg.dev/p/r/t@sha256:1',
    });
    expect(pool(moved)).toBe('us-east4-docker.pkg.dev/p/r/t@sha256:1');
  });
});

describe('preflight of the fallback regions', () => {
  /** The pools run the image input, as `${image_uri}` makes them. */
  const sourcesOf = (inputs: { image?: string; registry?: string }) =>
    imageSources({
      request: compiled(CONFIG('gs://b'), inputs.image ?? inputs.registry).request,
      ...inputs,
    });

  test('a single-region image cannot serve another region; a multi-region or {region} one can', () => {
    const single = sourcesOf({ image: 'us-central1-docker.pkg.dev/p-123456/r/t:1' });
    expect(imageReasons(single, 'us-central1')).toEqual([]);
    expect(imageReasons(single, 'us-east4')).toEqual([
      expect.stringMatching(/^the image \(image\) is in us-central1 .*not in us-east4/),
    ]);
    const multi = sourcesOf({ image: 'us-docker.pkg.dev/p-123456/r/t:1' });
    expect(imageReasons(multi, 'us-east4')).toEqual([]);
    expect(imageReasons(multi, 'europe-west4')).toEqual([
      expect.stringContaining('push it to europe-docker.pkg.dev'),
    ]);
    const templated = sourcesOf({ registry: '{region}-docker.pkg.dev/p-123456/r/t' });
    expect(imageReasons(templated, 'asia-east1')).toEqual([]);
  });

  test('a bucket elsewhere or missing rules a region out; an unknown location does not', () => {
    const where = (location: string, locationType = 'region') => ({
      ok: true as const,
      value: { location, locationType },
    });
    const path = 'spec.staging_bucket';
    expect(bucketReasons([{ bucket: 'b', path, location: where('US-EAST4') }], 'us-east4')).toEqual(
      [],
    );
    expect(
      bucketReasons([{ bucket: 'b', path, location: where('US-CENTRAL1') }], 'us-east4'),
    ).toEqual([
      expect.stringMatching(
        /^spec.staging_bucket: gs:\/\/b is in us-central1, but the job runs in us-east4/,
      ),
    ]);
    const missing = { ok: false as const, status: 404, message: 'Not Found' };
    expect(bucketReasons([{ bucket: 'b', path, location: missing }], 'us-east4')).toEqual([
      'spec.staging_bucket gs://b does not exist',
    ]);
    const denied = { ok: false as const, status: 403, message: 'Forbidden' };
    expect(bucketReasons([{ bucket: 'b', path, location: denied }], 'us-east4')).toEqual([]);
  });

  test('findings: a warning per unusable region on the input, the usable ones passed', () => {
    const report = fallbackFindings(
      ['us-east4', 'europe-west4'],
      [{ region: 'europe-west4', reasons: ['the image is in us'] }],
      true,
    );
    expect(report.findings).toEqual([
      {
        check: 'region',
        level: 'warning',
        path: 'fallback-regions',
        message: 'europe-west4 is left out of the fallback regions: the image is in us',
      },
    ]);
    expect(report.passed).toEqual([
      'fallback region us-east4: the image can be pulled there, and the buckets are there',
    ]);
  });
});
