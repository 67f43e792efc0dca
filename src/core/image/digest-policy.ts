// What the content-addressed image tag covers, and how it is spelled. Pure: the walker in
// src/docker/context-digest.ts feeds entries in; nothing here touches the disk.
//
// The tag must change whenever `docker build` could produce a different image, and stay the
// same otherwise: it covers every entry Docker sends (path, type, permission bits, content or
// link target), the Dockerfile's content, the build args and the platform. Modification times
// and owners are left out, as Docker's own build cache leaves them out.

// 'other': fifos and devices, which Docker's tar also carries (sockets it drops).
export type EntryType = 'file' | 'dir' | 'symlink' | 'other';

export interface ContextEntry {
  /** Slash-separated path relative to the context root. */
  path: string;
  type: EntryType;
  /** Permission bits (mode & 0o7777). */
  mode: number;
  /** sha256 hex of the content (files) or of the link target (symlinks); '' for directories. */
  contentSha256: string;
}

export interface DigestInputs {
  entries: ContextEntry[];
  dockerfileSha256: string;
  buildArgs: Record<string, string>;
  platform: string;
}

/** Bumped when the record format changes, so old tags are never mistaken for new ones. */
export const DIGEST_FORMAT = 'wb-vertex-launch/context/v1';
export const TAG_PREFIX = 'ctx-';
export const TAG_HEX_LENGTH = 20;

/**
 * The canonical text the digest is taken over, one record per line. JSON-encoded strings keep
 * names with spaces, newlines or `=` unambiguous. Entries are sorted by path (byte order).
 */
export function* digestRecords(inputs: DigestInputs): Generator<string> {
  yield `${DIGEST_FORMAT}\n`;
  yield `platform ${JSON.stringify(inputs.platform)}\n`;
  yield `dockerfile ${inputs.dockerfileSha256}\n`;
  for (const key of Object.keys(inputs.buildArgs).sort()) {
    yield `arg ${JSON.stringify(key)} ${JSON.stringify(inputs.buildArgs[key])}\n`;
  }
  const sorted = [...inputs.entries].sort((a, b) => compareBytes(a.path, b.path));
  for (const e of sorted) {
    yield `${e.type} ${e.mode.toString(8).padStart(4, '0')} ${e.contentSha256 || '-'} ${JSON.stringify(e.path)}\n`;
  }
}

function compareBytes(a: string, b: string): number {
  // Code-unit order is stable and locale-free; good enough for a canonical order.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The tag for a context digest (hex sha256). */
export function contextTag(digestHex: string): string {
  if (!/^[0-9a-f]{64}$/.test(digestHex)) throw new Error(`not a sha256 hex digest: ${digestHex}`);
  return TAG_PREFIX + digestHex.slice(0, TAG_HEX_LENGTH);
}

/** Docker tag grammar: up to 128 of [A-Za-z0-9_.-], not starting with `.` or `-`. */
export function isValidTag(tag: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag);
}

/** The human-facing tag for a commit (the SHA itself, when it is a valid tag). */
export function commitTag(sha: string | undefined): string | undefined {
  if (sha === undefined) return undefined;
  const s = sha.trim();
  return s !== '' && isValidTag(s) ? s : undefined;
}
