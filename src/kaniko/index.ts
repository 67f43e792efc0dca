// The Kaniko builder: the image is built remotely, with no Docker daemon on the runner. The
// context is hashed as for Docker (same .dockerignore walk, same content-addressed tag, same
// skip when the registry has the tag), packed into a reproducible tar.gz, uploaded once to the
// build-context store under a name derived from its digest, and built by the Kaniko executor
// running as a Vertex AI CustomJob, which pushes the content-addressed and the commit tag.
// The job is followed like a training job; the digest comes from the file the executor wrote
// to Cloud Storage, checked against the registry.
import path from 'node:path';
import { digestObjectName, fuseMountPath } from '../core/image/context-store.ts';
import { CONTEXT_SIZE_LIMIT } from '../core/image/context-size.ts';
import { kanikoCacheRepository, type KanikoJobSpec } from '../core/image/kaniko.ts';
import { checkContext } from '../docker/context-check.ts';
import { resolvePaths, type BuiltImage } from '../docker/build-source.ts';
import { registryBaseUrl } from '../docker/registry-client.ts';
import { connectContextObjects } from '../storage/context-upload.ts';
import { cancelledBeforeBuild, runBuildJob } from './build-job.ts';
import { checkSize, dockerfileInContext, uploadContext } from './context.ts';
import { pushedDigest } from './pushed-digest.ts';
import type { KanikoRequest } from './request.ts';

export { DEFAULT_KANIKO_IMAGE } from '../core/image/kaniko.ts';
export { cancelledBeforeBuild } from './build-job.ts';
export type { BuildJobPhase, KanikoRequest } from './request.ts';

export async function buildWithKaniko(req: KanikoRequest): Promise<BuiltImage> {
  // A Dockerfile outside the context cannot reach the executor: said before any hashing.
  const paths = resolvePaths(req);
  const dockerfileRel = dockerfileInContext(paths.contextDir, paths.dockerfile);
  // The same skip as Docker's: the registry has this very context's image.
  const check = await checkContext(req, req.region, ': no upload, no build job');
  const { reg, client, contextDir, dockerfile, platform, humanTag, ctx } = check;
  if (req.build.cacheFrom.length + req.build.cacheTo.length > 0)
    req.log.warning(
      `cache-from and cache-to are Docker's; builder: kaniko keeps its layer cache in ${kanikoCacheRepository(reg.name)} and ignores them`,
    );
  if (check.unchanged) return check.unchanged;
  req.log.info(`${reg.name}:${ctx.tag} is not in the registry yet: building with Kaniko`);
  checkSize(ctx, contextDir, dockerfileRel, req.sizeLimit ?? CONTEXT_SIZE_LIMIT);

  const objects = await connectContextObjects(req.storage);
  const contextUri = await req.group(
    `Image: build context to gs://${req.contextStore.bucket}`,
    () => uploadContext(req, objects, ctx, contextDir),
  );

  const destinations = [`${reg.name}:${ctx.tag}`];
  if (humanTag) destinations.push(`${reg.name}:${humanTag}`);
  const digestObject = digestObjectName(req.contextStore, req.buildId);
  const spec: KanikoJobSpec = {
    project: req.project,
    region: req.region,
    executorImage: req.executorImage,
    contextUri,
    dockerfile: dockerfileRel,
    destinations,
    cacheRepository: kanikoCacheRepository(reg.name),
    digestFile: fuseMountPath(req.contextStore.bucket, digestObject),
    platform,
    buildArgs: req.build.buildArgs,
    insecureRegistry: registryBaseUrl(reg.host).startsWith('http:') ? reg.host : undefined,
    serviceAccount: req.serviceAccount,
    tag: ctx.tag,
    github: req.github,
    buildId: req.buildId,
    timeoutSeconds: req.timeoutSeconds,
  };
  if (req.signal?.aborted) throw cancelledBeforeBuild();
  const vertex = await req.openVertex();
  try {
    await req.group(`Image: Kaniko build job in ${req.region}`, () =>
      runBuildJob(req, vertex, spec, path.relative(req.workspace, dockerfile)),
    );
  } finally {
    await vertex.close();
  }

  const digest = await pushedDigest({
    client,
    objects,
    imageName: reg.name,
    destinations,
    bucket: req.contextStore.bucket,
    digestObject,
    log: req.log,
  });
  const reason = `built with Kaniko and pushed ${destinations.join(', ')}`;
  req.log.info(`${reason}; the job runs ${reg.name}@${digest}`);
  return { imageUri: `${reg.name}@${digest}`, digest, tag: ctx.tag, skipped: false, reason };
}
