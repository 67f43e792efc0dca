// Which layer cache a build reads and writes. Pure: the adapter in src/docker/ runs the plan.
//
// Without cache inputs, a rebuild reuses the layers of the image last pushed for the registry
// path, kept at a cache tag beside it (`REPO:buildcache`), so a fresh runner rebuilds only what
// changed:
// - BuildKit (buildx): `--cache-from type=registry,ref=REPO:buildcache`, written back as inline
//   cache metadata in the pushed image (the default `docker` driver can export nothing else),
//   or as a registry cache with every stage's layers (`mode=max`) by other drivers.
// - Classic builder: the cache image is pulled and named in `--cache-from`; the built image is
//   pushed under the cache tag too (its layer history is what the classic builder matches).
// The `cache-from` and `cache-to` inputs replace the automatic source and destination.
import { quoted } from '../quote.ts';

export const CACHE_TAG = 'buildcache';

export type Builder = { kind: 'buildx'; driver?: string } | { kind: 'classic' };

export interface CachePlanRequest {
  builder: Builder;
  /** `host/repository`, the image name without tag. */
  imageName: string;
  cacheFromInput: string[];
  cacheToInput: string[];
}

export interface CachePlan {
  /** buildx: `--cache-from` values. Classic: image references to pull, then `--cache-from`. */
  cacheFrom: string[];
  /** buildx: `--cache-to` values. Classic: always empty. */
  cacheTo: string[];
  /** More tags the built image is pushed under (cache images). */
  cacheTags: string[];
  /** The automatic cache image when it is read (its absence is a note, never a failure). */
  automaticSource?: string;
  warnings: string[];
}

/** `type=registry,ref=x,mode=max` -> { type: 'registry', ref: 'x', mode: 'max' }. */
export function parseCacheSpec(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    out[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** The image a classic build can use for a cache entry: a plain reference or `type=registry,ref=`. */
function classicRef(spec: string): string | undefined {
  if (!spec.includes('=')) return spec.trim();
  const s = parseCacheSpec(spec);
  return s.type === 'registry' && s.ref ? s.ref : undefined;
}

export function cacheReference(imageName: string): string {
  return `${imageName}:${CACHE_TAG}`;
}

export function planBuildCache(req: CachePlanRequest): CachePlan {
  const ref = cacheReference(req.imageName);
  const userFrom = req.cacheFromInput.length > 0;
  const userTo = req.cacheToInput.length > 0;
  const warnings: string[] = [];

  if (req.builder.kind === 'buildx') {
    // The docker driver (buildx's default) exports inline cache only; an unknown driver is
    // treated the same way, since inline cache works with every driver.
    const inline = (req.builder.driver ?? 'docker') === 'docker';
    return {
      cacheFrom: userFrom ? req.cacheFromInput : [`type=registry,ref=${ref}`],
      cacheTo: userTo
        ? req.cacheToInput
        : inline
          ? ['type=inline']
          : [`type=registry,ref=${ref},mode=max`],
      cacheTags: !userTo && inline ? [ref] : [],
      automaticSource: userFrom ? undefined : ref,
      warnings,
    };
  }

  const ignored = (input: string, spec: string) =>
    warnings.push(
      `${input} entry ${quoted(spec)} is ignored: the classic builder (no docker buildx here) reads and ` +
        `writes its cache as images only (a reference, or type=registry,ref=REF)`,
    );
  const cacheFrom: string[] = [];
  if (userFrom) {
    for (const spec of req.cacheFromInput) {
      const r = classicRef(spec);
      if (r) cacheFrom.push(r);
      else ignored('cache-from', spec);
    }
  } else cacheFrom.push(ref);
  const cacheTags: string[] = [];
  if (userTo) {
    for (const spec of req.cacheToInput) {
      // The classic builder's images always carry their layer history: inline is implied.
      if (parseCacheSpec(spec).type === 'inline') continue;
      const r = classicRef(spec);
      if (r) cacheTags.push(r);
      else ignored('cache-to', spec);
    }
  } else cacheTags.push(ref);
  return {
    cacheFrom,
    cacheTo: [],
    cacheTags,
    automaticSource: userFrom ? undefined : ref,
    warnings,
  };
}
