// After the build job: what the job will run. The registry is the source of truth for the
// content-addressed tag; the digest the executor wrote (through Vertex's Cloud Storage mount)
// must agree with it, or another build pushed the same tag meanwhile.
import { UserError } from '../core/errors.ts';
import { gsUri } from '../core/image/context-store.ts';
import type { Logger } from '../core/log.ts';
import type { RegistryClient } from '../docker/registry-client.ts';
import type { ContextObjects } from '../storage/context-upload.ts';

export async function pushedDigest(opts: {
  client: RegistryClient;
  objects: ContextObjects;
  imageName: string;
  /** Full references: the content-addressed tag first. */
  destinations: string[];
  bucket: string;
  digestObject: string;
  log: Logger;
}): Promise<string> {
  const { destinations, log } = opts;
  const written = (await opts.objects.readText(opts.bucket, opts.digestObject))?.trim();
  const heads = await Promise.all(
    destinations.map((d) => opts.client.headManifest(d.slice(opts.imageName.length + 1))),
  );
  const ctxHead = heads[0];
  if (!ctxHead)
    throw new UserError(
      'build',
      `the build job succeeded but the registry does not list ${destinations[0]}; check that the build job's service account may push to it`,
    );
  if (written === undefined || !/^sha256:[0-9a-f]{64}$/.test(written)) {
    log.warning(
      `the build job wrote no digest to ${gsUri(opts.bucket, opts.digestObject)} (can its service account write to the bucket?); ` +
        `using the registry's digest of ${destinations[0]}`,
    );
  } else if (written !== ctxHead.digest) {
    throw new UserError(
      'build',
      `the build job pushed ${written} but the registry serves ${ctxHead.digest} for ${destinations[0]}; ` +
        'another build may have pushed the same tag concurrently: re-run the job',
    );
  }
  heads.slice(1).forEach((h, i) => {
    if (h?.digest !== ctxHead.digest)
      log.warning(`${destinations[i + 1]} does not point at ${ctxHead.digest}`);
  });
  return ctxHead.digest;
}
