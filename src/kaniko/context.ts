// The build context on its way to the build job: the Dockerfile must be inside it (only the
// context is uploaded), its size within the limit (naming what .dockerignore could drop), and
// its archive uploaded once, under the name its digest gives it.
import { lstatSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../core/errors.ts';
import { contextObjectName, gsUri } from '../core/image/context-store.ts';
import { formatBytes, largestExcludable, oversizeMessage } from '../core/image/context-size.ts';
import type { ContextDigest } from '../docker/context-digest.ts';
import type { ContextObjects } from '../storage/context-upload.ts';
import { packContext } from './pack.ts';
import type { KanikoRequest } from './request.ts';

/** The Dockerfile's slash-separated path inside the context; an error when it is outside. */
export function dockerfileInContext(contextDir: string, dockerfile: string): string {
  const rel = path.relative(contextDir, dockerfile);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new UserError(
      'build',
      'with builder: kaniko the Dockerfile must be inside the build context (only the context is uploaded)',
      [{ path: 'dockerfile', message: `${dockerfile} is outside the context ${contextDir}` }],
    );
  }
  return rel.split(path.sep).join('/');
}

/** Refuses a context over `limit` bytes (after .dockerignore), naming its largest parts. */
export function checkSize(
  ctx: ContextDigest,
  contextDir: string,
  dockerfileRel: string,
  limit: number,
) {
  if (ctx.bytes <= limit) return;
  const files = ctx.entries
    .filter((e) => e.type === 'file')
    .map((e) => ({ path: e.path, size: lstatSync(path.join(contextDir, e.path)).size }));
  const keep = [dockerfileRel, ctx.ignoreFile ?? '.dockerignore'];
  throw new UserError(
    'build',
    oversizeMessage(ctx.bytes, limit, largestExcludable(files, keep), ctx.ignoreFile),
    [
      {
        path: 'context',
        message: `${formatBytes(ctx.bytes)} after .dockerignore; the limit is ${formatBytes(limit)}`,
      },
    ],
  );
}

/** Upload the context unless its object is there already; returns its gs:// URI. */
export async function uploadContext(
  req: KanikoRequest,
  objects: ContextObjects,
  ctx: ContextDigest,
  contextDir: string,
): Promise<string> {
  const { bucket } = req.contextStore;
  const name = contextObjectName(req.contextStore, ctx.digest);
  const uri = gsUri(bucket, name);
  if (await objects.exists(bucket, name)) {
    req.log.info(`${uri} is there already (the same context, uploaded before): nothing to upload`);
    return uri;
  }
  const dir = await mkdtemp(path.join(req.tempDir, 'wbvl-context-'));
  try {
    const file = path.join(dir, 'context.tar.gz');
    let started = performance.now();
    const packed = await packContext(contextDir, ctx.entries, file, req.signal);
    if (packed.skipped.length > 0)
      req.log.warning(
        `left out of the build context (a tar for Kaniko carries no fifos or devices): ${packed.skipped.join(', ')}`,
      );
    req.log.info(
      `Packed ${packed.entries} entries into ${formatBytes(packed.bytes)} (${Math.round(performance.now() - started)} ms)`,
    );
    started = performance.now();
    const r = await objects.upload(bucket, name, file, packed.bytes, 'application/gzip');
    req.log.info(
      r.uploaded
        ? `Uploaded ${uri} (${formatBytes(packed.bytes)}, ${r.resumable ? 'resumable' : 'single request'}, ${Math.round(performance.now() - started)} ms)`
        : `${uri} appeared meanwhile (another run uploaded the same context): not uploaded again`,
    );
    return uri;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
