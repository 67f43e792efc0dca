// The first half of every build, whichever builder: the registry parsed (and its warnings),
// the build context hashed into its content-addressed tag, and the registry asked whether it
// has that tag already. When it has, nothing is built: the commit tag is added and the image
// is the one in the registry.
import path from 'node:path';
import type { BuildSettings } from '../context.ts';
import { commitTag } from '../core/image/digest-policy.ts';
import {
  parseRegistry,
  registryRegionWarning,
  type ParsedRegistry,
} from '../core/image/registry.ts';
import type { Logger } from '../core/log.ts';
import { errorMessage } from '../core/errors.ts';
import { digestContext, type ContextDigest } from './context-digest.ts';
import { DEFAULT_PLATFORM } from '../core/image/platform.ts';
import { resolvePaths, type BuiltImage } from './build-source.ts';
import { RegistryClient } from './registry-client.ts';

export interface ContextCheckRequest {
  registry: string;
  build: BuildSettings;
  workspace: string;
  getAccessToken(): Promise<string>;
  commitSha?: string;
  log: Logger;
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  signal?: AbortSignal;
}

export interface ContextCheck {
  reg: ParsedRegistry;
  client: RegistryClient;
  contextDir: string;
  dockerfile: string;
  platform: string;
  /** The commit's tag beside the content-addressed one, when the commit is known. */
  humanTag?: string;
  ctx: ContextDigest;
  /** Set when the registry has this context's image already: nothing is built. */
  unchanged?: BuiltImage;
}

/** `skipNote` ends the log line of an unchanged context (e.g. what the builder does not do). */
export async function checkContext(
  req: ContextCheckRequest,
  jobRegion: string,
  skipNote = '',
): Promise<ContextCheck> {
  const reg = parseRegistry(req.registry);
  for (const w of reg.warnings) req.log.warning(w);
  const regionWarning = registryRegionWarning(reg, jobRegion);
  if (regionWarning) req.log.warning(regionWarning);
  const { contextDir, dockerfile } = resolvePaths(req);
  const platform = req.build.platform || DEFAULT_PLATFORM;
  const client = new RegistryClient({
    host: reg.host,
    repository: reg.repository,
    getAccessToken: () => req.getAccessToken(),
    signal: req.signal,
  });
  const humanTag = commitTag(req.commitSha);

  const ctx = await req.group(
    `Image: hashing build context ${path.relative(req.workspace, contextDir) || '.'}`,
    async () => {
      const started = performance.now();
      const c = await digestContext({
        contextDir,
        dockerfile,
        buildArgs: req.build.buildArgs,
        platform,
        signal: req.signal,
      });
      req.log.info(
        `${c.files} files, ${c.bytes} bytes` +
          (c.ignoreFile ? ` (after ${c.ignoreFile})` : '') +
          `; platform ${platform}; tag ${c.tag} (${Math.round(performance.now() - started)} ms)`,
      );
      return c;
    },
  );
  const check: ContextCheck = { reg, client, contextDir, dockerfile, platform, humanTag, ctx };

  const existing = await client.headManifest(ctx.tag);
  if (!existing) return check;
  const reason = unchangedReason(reg.name, ctx.tag);
  req.log.info(`${reason}${skipNote}`);
  if (humanTag) await addCommitTag(client, reg, ctx.tag, humanTag, req.log);
  check.unchanged = {
    imageUri: `${reg.name}@${existing.digest}`,
    digest: existing.digest,
    tag: ctx.tag,
    skipped: true,
    reason,
  };
  return check;
}

/** Why nothing is built: the registry has the content-addressed tag already. */
function unchangedReason(imageName: string, tag: string): string {
  return (
    `${imageName}:${tag} already exists: the build context, Dockerfile, build args and platform ` +
    `are unchanged since it was pushed, so nothing is built`
  );
}

/** Point the commit tag at an existing manifest; a convenience, so failures only warn. */
async function addCommitTag(
  client: RegistryClient,
  reg: ParsedRegistry,
  ctxTag: string,
  tag: string,
  log: Logger,
) {
  try {
    await client.tagManifest(ctxTag, tag);
    log.info(`Tagged ${reg.name}:${tag} (same manifest as ${ctxTag})`);
  } catch (err) {
    log.warning(`could not add tag ${tag} to ${reg.name}: ${errorMessage(err)}`);
  }
}
