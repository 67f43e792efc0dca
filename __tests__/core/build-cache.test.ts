// Which layer cache each builder reads and writes, and how the cache inputs win.
import { planBuildCache, parseCacheSpec, type Builder } from '../../src/core/image/build-cache.ts';

const image = 'us-docker.pkg.dev/p/r/trainer';
const cacheRef = `${image}:buildcache`;
const plan = (builder: Builder, cacheFromInput: string[] = [], cacheToInput: string[] = []) =>
  planBuildCache({ builder, imageName: image, cacheFromInput, cacheToInput });

describe('buildx (BuildKit)', () => {
  test('docker driver: reads the registry cache tag, writes inline metadata into the image pushed there', () => {
    expect(plan({ kind: 'buildx', driver: 'docker' })).toEqual({
      cacheFrom: [`type=registry,ref=${cacheRef}`],
      cacheTo: ['type=inline'],
      cacheTags: [cacheRef],
      automaticSource: cacheRef,
      warnings: [],
    });
  });

  test('an unknown driver is treated as docker: inline cache works with every driver', () => {
    expect(plan({ kind: 'buildx' })).toEqual(plan({ kind: 'buildx', driver: 'docker' }));
  });

  test('docker-container driver: a registry cache with every stage (mode=max), no image at the cache tag', () => {
    const p = plan({ kind: 'buildx', driver: 'docker-container' });
    expect(p.cacheFrom).toEqual([`type=registry,ref=${cacheRef}`]);
    expect(p.cacheTo).toEqual([`type=registry,ref=${cacheRef},mode=max`]);
    expect(p.cacheTags).toEqual([]);
  });

  test('cache-from and cache-to inputs win, each on its own', () => {
    const both = plan({ kind: 'buildx', driver: 'docker' }, ['type=gha'], ['type=gha,mode=max']);
    expect(both.cacheFrom).toEqual(['type=gha']);
    expect(both.cacheTo).toEqual(['type=gha,mode=max']);
    expect(both.cacheTags).toEqual([]);
    expect(both.automaticSource).toBeUndefined();
    const fromOnly = plan({ kind: 'buildx', driver: 'docker' }, ['type=gha']);
    expect(fromOnly.cacheFrom).toEqual(['type=gha']);
    expect(fromOnly.cacheTo).toEqual(['type=inline']);
    expect(fromOnly.automaticSource).toBeUndefined();
  });
});

describe('classic builder', () => {
  test('pulls the cache tag and pushes the built image there too', () => {
    expect(plan({ kind: 'classic' })).toEqual({
      cacheFrom: [cacheRef],
      cacheTo: [],
      cacheTags: [cacheRef],
      automaticSource: cacheRef,
      warnings: [],
    });
  });

  test('image references and type=registry entries of the inputs are used; other types warn', () => {
    const p = plan(
      { kind: 'classic' },
      ['r.example/cache:1', 'type=registry,ref=r.example/cache:2', 'type=gha'],
      ['type=registry,ref=r.example/cache:3,mode=max', 'type=inline', 'type=local,dest=/tmp/c'],
    );
    expect(p.cacheFrom).toEqual(['r.example/cache:1', 'r.example/cache:2']);
    expect(p.cacheTags).toEqual(['r.example/cache:3']);
    expect(p.cacheTo).toEqual([]);
    expect(p.automaticSource).toBeUndefined();
    expect(p.warnings).toHaveLength(2);
    expect(p.warnings[0]).toMatch(/cache-from entry "type=gha" is ignored: the classic builder/);
    expect(p.warnings[1]).toMatch(/cache-to entry "type=local,dest=\/tmp\/c" is ignored/);
  });
});

test('cache specs parse as comma-separated key=value pairs', () => {
  expect(parseCacheSpec('type=registry, ref=h:5000/a:b ,mode=max')).toEqual({
    type: 'registry',
    ref: 'h:5000/a:b',
    mode: 'max',
  });
});
