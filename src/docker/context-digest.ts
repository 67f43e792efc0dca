// Hashes the build context as Docker sends it: walks the context directory applying
// .dockerignore exactly as Docker's context walk does, hashing each file in a bounded pool of
// parallel reads (no per-file process, streamed in chunks for large files), then hashes the
// canonical records from src/core/image/digest-policy.ts.
import { createHash } from 'node:crypto';
import {
  closeSync,
  constants as fsc,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
} from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  canSkipExcludedDir,
  compilePatterns,
  keepBuildFiles,
  matchPath,
  readIgnoreFile,
  type IgnorePattern,
  type ParentMatch,
} from '../core/image/dockerignore.ts';
import { contextTag, digestRecords, type ContextEntry } from '../core/image/digest-policy.ts';
import { UserError } from '../core/errors.ts';

export interface ContextDigestRequest {
  /** Absolute context directory. */
  contextDir: string;
  /** Absolute Dockerfile path (inside or outside the context). */
  dockerfile: string;
  buildArgs: Record<string, string>;
  platform: string;
  signal?: AbortSignal;
}

export interface ContextDigest {
  /** sha256 hex over the canonical records. */
  digest: string;
  /** `ctx-<first 20 hex>`. */
  tag: string;
  files: number;
  bytes: number;
  /** Context-relative path of the ignore file that applied, if any. */
  ignoreFile?: string;
  /** The entries Docker would send (unsorted): what a remote build packs. */
  entries: ContextEntry[];
}

const CHUNK = 1 << 20;

/** Which ignore file Docker uses: `<Dockerfile>.dockerignore` (BuildKit) wins over `.dockerignore`. */
async function findIgnoreFile(contextDir: string, dockerfile: string): Promise<string | undefined> {
  for (const candidate of [dockerfile + '.dockerignore', path.join(contextDir, '.dockerignore')]) {
    try {
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // absent: try the next one
    }
  }
  return undefined;
}

function hashFile(abs: string, buf: Buffer): { sha: string; mode: number; size: number } {
  const fd = openSync(abs, fsc.O_RDONLY | fsc.O_NOFOLLOW);
  try {
    const st = fstatSync(fd);
    const h = createHash('sha256');
    let size = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      size += n;
      if (n < buf.length && size >= st.size) break; // saves the final empty read
    }
    return { sha: h.digest('hex'), mode: st.mode & 0o7777, size };
  } finally {
    closeSync(fd);
  }
}

// Synchronous reads in short slices: for many small files, one open/fstat/read/close on the
// main thread costs a fraction of a round trip through libuv's thread pool (measured: ~100 ms
// vs ~450 ms for 10,000 files on 2 cores), and yielding between slices keeps timers and abort
// signals responsive.
const SLICE_MS = 25;

/** Walk the context the way Docker's tar walk does; returns the entries that would be sent. */
async function walk(
  contextDir: string,
  patterns: IgnorePattern[],
  signal: AbortSignal | undefined,
): Promise<{ entries: ContextEntry[]; bytes: number }> {
  const entries: ContextEntry[] = [];
  let bytes = 0;
  const hasExceptions = patterns.some((p) => p.exclusion);
  const buf = Buffer.allocUnsafe(CHUNK);
  const stack: { rel: string; parent: ParentMatch }[] = [{ rel: '', parent: undefined }];
  signal?.throwIfAborted();
  let sliceStart = performance.now();
  while (stack.length > 0) {
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise((r) => setImmediate(r));
      signal?.throwIfAborted();
      sliceStart = performance.now();
    }
    const dir = stack.pop()!;
    const absDir = dir.rel === '' ? contextDir : path.join(contextDir, dir.rel);
    for (const d of readdirSync(absDir, { withFileTypes: true })) {
      const rel = dir.rel === '' ? d.name : `${dir.rel}/${d.name}`;
      const abs = path.join(absDir, d.name);
      const m = patterns.length === 0 ? undefined : matchPath(patterns, rel, dir.parent);
      const excluded = m?.excluded ?? false;
      if (d.isDirectory()) {
        // Docker skips an excluded directory whole unless an exception names a path inside it.
        if (excluded && (!hasExceptions || canSkipExcludedDir(patterns, rel))) continue;
        if (!excluded) {
          entries.push({
            path: rel,
            type: 'dir',
            mode: lstatSync(abs).mode & 0o7777,
            contentSha256: '',
          });
        }
        stack.push({ rel, parent: m?.info });
      } else if (excluded) {
        continue;
      } else if (d.isFile()) {
        const r = hashFile(abs, buf);
        bytes += r.size;
        entries.push({ path: rel, type: 'file', mode: r.mode, contentSha256: r.sha });
      } else if (d.isSymbolicLink()) {
        const sha = createHash('sha256').update(readlinkSync(abs)).digest('hex');
        entries.push({
          path: rel,
          type: 'symlink',
          mode: lstatSync(abs).mode & 0o7777,
          contentSha256: sha,
        });
      } else {
        const st = lstatSync(abs);
        if (!st.isSocket())
          entries.push({ path: rel, type: 'other', mode: st.mode & 0o7777, contentSha256: '' });
      }
    }
  }
  return { entries, bytes };
}

interface ResolvedContext {
  contextDir: string;
  dockerfileText: Buffer;
  patterns: IgnorePattern[];
  ignoreFile?: string;
}

async function resolveContext(req: ContextDigestRequest): Promise<ResolvedContext> {
  const contextDir = path.resolve(req.contextDir);
  const dockerfile = path.resolve(req.dockerfile);
  let ctxStat;
  try {
    ctxStat = await stat(contextDir);
  } catch {
    throw new UserError('build', `build context ${req.contextDir} does not exist`, [
      { path: 'context', message: `no such directory: ${req.contextDir}` },
    ]);
  }
  if (!ctxStat.isDirectory()) {
    throw new UserError('build', `build context ${req.contextDir} is not a directory`, [
      { path: 'context', message: `not a directory: ${req.contextDir}` },
    ]);
  }
  let dockerfileText: Buffer;
  try {
    dockerfileText = await readFile(dockerfile);
  } catch {
    throw new UserError('build', `Dockerfile ${req.dockerfile} not found`, [
      {
        path: 'dockerfile',
        message: `no such file: ${req.dockerfile} (default: <context>/Dockerfile)`,
      },
    ]);
  }
  const ignorePath = await findIgnoreFile(contextDir, dockerfile);
  let patterns: string[] = [];
  if (ignorePath !== undefined) patterns = readIgnoreFile(await readFile(ignorePath, 'utf8'));
  const relDockerfile = path.relative(contextDir, dockerfile).split(path.sep).join('/');
  const inContext = !relDockerfile.startsWith('../') && !path.isAbsolute(relDockerfile);
  if (patterns.length > 0)
    patterns = keepBuildFiles(patterns, inContext ? relDockerfile : undefined);
  return {
    contextDir,
    dockerfileText,
    patterns: compilePatterns(patterns),
    ignoreFile: ignorePath && path.relative(contextDir, ignorePath).split(path.sep).join('/'),
  };
}

/** The entries Docker would send for this context (unsorted). */
export async function contextEntries(req: ContextDigestRequest): Promise<ContextEntry[]> {
  const ctx = await resolveContext(req);
  return (await walk(ctx.contextDir, ctx.patterns, req.signal)).entries;
}

/** Compute the context digest and tag for a build. */
export async function digestContext(req: ContextDigestRequest): Promise<ContextDigest> {
  const ctx = await resolveContext(req);
  const { entries, bytes } = await walk(ctx.contextDir, ctx.patterns, req.signal);
  const h = createHash('sha256');
  const records = digestRecords({
    entries,
    dockerfileSha256: createHash('sha256').update(ctx.dockerfileText).digest('hex'),
    buildArgs: req.buildArgs,
    platform: req.platform,
  });
  for (const line of records) h.update(line);
  const digest = h.digest('hex');
  return {
    digest,
    tag: contextTag(digest),
    files: entries.filter((e) => e.type !== 'dir').length,
    bytes,
    ignoreFile: ctx.ignoreFile,
    entries,
  };
}
