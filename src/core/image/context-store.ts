// Where the Kaniko builder keeps build contexts: the `build-context-store` input
// (`gs://BUCKET[/PREFIX]`), and the object names derived from a context's digest. Pure.
import type { Problem } from '../errors.ts';
import { quoted } from '../quote.ts';

export interface ContextStore {
  bucket: string;
  /** Without leading or trailing slashes; '' for the bucket's root. */
  prefix: string;
}

// Cloud Storage bucket names: 3-63 characters (up to 222 with dots, 63 per dot-separated
// part) of lowercase letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit.
const BUCKET = /^[a-z0-9](?:[a-z0-9._-]{1,220}[a-z0-9])$/;

function bucketProblem(bucket: string): string | undefined {
  if (!BUCKET.test(bucket))
    return `${quoted(bucket)} is not a bucket name (3-63 characters of a-z, 0-9, -, _ and ., starting and ending with a letter or digit)`;
  if (!bucket.includes('.') && bucket.length > 63)
    return `${quoted(bucket)} is longer than 63 characters`;
  if (bucket.split('.').some((part) => part.length > 63))
    return `${quoted(bucket)} has a dot-separated part longer than 63 characters`;
  if (bucket.startsWith('goog') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket))
    return `${quoted(bucket)} is not a name Cloud Storage allows (no "goog" prefix, no IP address)`;
  return undefined;
}

/** Parses `gs://BUCKET[/PREFIX]`; a problem on the `build-context-store` input otherwise. */
export function parseContextStore(
  value: string,
): { ok: true; store: ContextStore } | { ok: false; problem: Problem } {
  const fail = (why: string) => ({
    ok: false as const,
    problem: {
      path: 'build-context-store',
      message: `${why}; expected gs://BUCKET or gs://BUCKET/PREFIX, got ${quoted(value)}`,
    },
  });
  const m = /^gs:\/\/([^/]*)(?:\/(.*))?$/.exec(value.trim());
  if (!m) return fail('not a Cloud Storage location');
  const why = bucketProblem(m[1]);
  if (why) return fail(why);
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (/\/\//.test(prefix) || prefix.split('/').some((p) => p === '.' || p === '..'))
    return fail('the prefix has an empty, "." or ".." part');
  if (/[\r\n#[\]*?]/.test(prefix))
    return fail('the prefix has a character Cloud Storage object names should not hold');
  return { ok: true, store: { bucket: m[1], prefix } };
}

function under(store: ContextStore, name: string): string {
  return store.prefix ? `${store.prefix}/${name}` : name;
}

/** The context's object: named by its full digest, so one context is uploaded once. */
export function contextObjectName(store: ContextStore, digestHex: string): string {
  if (!/^[0-9a-f]{64}$/.test(digestHex)) throw new Error(`not a sha256 hex digest: ${digestHex}`);
  return under(store, `ctx-${digestHex}.tar.gz`);
}

/** Where one build job writes the digest it pushed (one object per build, never reused). */
export function digestObjectName(store: ContextStore, buildId: string): string {
  return under(store, `builds/${buildId}.digest`);
}

export function gsUri(bucket: string, object: string): string {
  return `gs://${bucket}/${object}`;
}

/**
 * The object's path inside a Vertex AI training container: Vertex mounts Cloud Storage with
 * Cloud Storage FUSE at /gcs/BUCKET, so a file written there lands in the bucket.
 */
export function fuseMountPath(bucket: string, object: string): string {
  return `/gcs/${bucket}/${object}`;
}
