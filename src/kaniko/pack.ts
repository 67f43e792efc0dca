// Packs the build context into a reproducible tar.gz: exactly the entries the context digest
// covers (the .dockerignore walk of src/docker/context-digest.ts), sorted by path, with the
// records of src/core/image/tar.ts, gzip at a fixed level (Node's gzip header carries no
// time). The same context gives the same bytes. Each file is hashed again as it is read: a file
// that changed since the digest was taken would make an archive its name does not describe.
import { createHash } from 'node:crypto';
import { closeSync, constants as fsc, fstatSync, openSync, readlinkSync, readSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { UserError } from '../core/errors.ts';
import type { ContextEntry } from '../core/image/digest-policy.ts';
import { padding, TAR_END, tarHeader } from '../core/image/tar.ts';

const CHUNK = 1 << 20;
const SMALL_FILE = 64 * 1024;
export const GZIP_LEVEL = 6;

export interface PackResult {
  /** Size of the tar.gz. */
  bytes: number;
  /** Entries written (files, directories, symlinks). */
  entries: number;
  /** Entries a tar of a build context cannot carry (fifos, devices): left out. */
  skipped: string[];
}

function changed(rel: string): UserError {
  return new UserError(
    'build',
    `${rel} changed while the build context was packed (after its digest was taken); ` +
      'make sure nothing writes into the build context during the step, then re-run it',
  );
}

/** Collects small records into blocks of about BATCH bytes: one stream write per block. */
const BATCH = 1 << 20;

async function* archive(
  contextDir: string,
  entries: ContextEntry[],
  result: PackResult,
): AsyncGenerator<Buffer> {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const buf = Buffer.allocUnsafe(CHUNK);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const add = (b: Buffer) => {
    pending.push(b);
    pendingBytes += b.length;
  };
  const take = () => {
    const block = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    return block;
  };
  for (const e of sorted) {
    const abs = path.join(contextDir, e.path);
    if (e.type === 'dir') {
      add(tarHeader({ path: e.path, type: 'dir', mode: e.mode, size: 0 }));
    } else if (e.type === 'symlink') {
      const target = readlinkSync(abs);
      if (createHash('sha256').update(target).digest('hex') !== e.contentSha256)
        throw changed(e.path);
      add(tarHeader({ path: e.path, type: 'symlink', mode: e.mode, size: 0, linkTarget: target }));
    } else if (e.type === 'file') {
      const fd = openSync(abs, fsc.O_RDONLY | fsc.O_NOFOLLOW);
      try {
        const size = fstatSync(fd).size;
        add(tarHeader({ path: e.path, type: 'file', mode: e.mode, size }));
        const h = createHash('sha256');
        let read = 0;
        while (read < size) {
          // Small files are read into their own buffer; large ones in chunks of the shared one.
          const whole = size - read <= SMALL_FILE;
          const target = whole ? Buffer.allocUnsafe(size - read) : buf;
          const n = readSync(fd, target, 0, Math.min(target.length, size - read), null);
          if (n === 0) break;
          const chunk = target.subarray(0, n);
          h.update(chunk);
          read += n;
          // A copy of the shared buffer, which the next read reuses.
          add(whole ? chunk : Buffer.from(chunk));
          if (pendingBytes >= BATCH) yield take();
        }
        if (read !== size || h.digest('hex') !== e.contentSha256) throw changed(e.path);
        add(padding(size));
      } finally {
        closeSync(fd);
      }
    } else {
      result.skipped.push(e.path);
      continue;
    }
    result.entries++;
    if (pendingBytes >= BATCH) yield take();
  }
  add(TAR_END);
  yield take();
}

/** Writes the archive of `entries` (from the context digest) to `outFile`. */
export async function packContext(
  contextDir: string,
  entries: ContextEntry[],
  outFile: string,
  signal?: AbortSignal,
): Promise<PackResult> {
  const result: PackResult = { bytes: 0, entries: 0, skipped: [] };
  const source = Readable.from(archive(contextDir, entries, result));
  const gzip = createGzip({ level: GZIP_LEVEL });
  const out = createWriteStream(outFile, { mode: 0o600 });
  await (signal ? pipeline(source, gzip, out, { signal }) : pipeline(source, gzip, out));
  result.bytes = (await stat(outFile)).size;
  return result;
}
