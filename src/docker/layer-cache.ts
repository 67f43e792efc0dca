// Runs the layer-cache plan of src/core/image/build-cache.ts: finds out which builder Docker
// has, checks that the automatic cache image exists, and (classic builder) pulls the cache
// images. A missing or unreadable cache is a note in the log; the build goes on without it.
import { planBuildCache, type Builder, type CachePlan } from '../core/image/build-cache.ts';
import { UserError, errorMessage } from '../core/errors.ts';
import type { DockerEnv } from './build.ts';
import { docker } from './docker-cli.ts';
import type { RegistryClient } from './registry-client.ts';

/** buildx and its driver when the plugin is installed, the classic builder otherwise. */
export async function detectBuilder(d: DockerEnv): Promise<Builder> {
  try {
    const r = await docker(['buildx', 'inspect'], { ...d, stream: false });
    if (r.code !== 0) return { kind: 'classic' };
    const driver = /^Driver:\s*(\S+)/m.exec(r.output)?.[1];
    return { kind: 'buildx', driver };
  } catch (err) {
    if (err instanceof UserError) throw err; // docker itself missing
    return { kind: 'classic' };
  }
}

export interface LayerCacheRequest {
  builder: Builder;
  imageName: string;
  cacheFromInput: string[];
  cacheToInput: string[];
  /** The build's platform: the cache image pulled is that platform's. */
  platform: string;
  /** The client for the image's own repository (the automatic cache tag lives there). */
  client: RegistryClient;
  d: DockerEnv;
}

function note(d: DockerEnv, message: string) {
  d.log.info(`Build cache: ${message}`);
}

/** Does the automatic cache image exist? Absent or unreadable: a note, and false. */
async function automaticCacheExists(ref: string, req: LayerCacheRequest): Promise<boolean> {
  const tag = ref.slice(ref.lastIndexOf(':') + 1);
  try {
    if (await req.client.headManifest(tag)) return true;
    note(
      req.d,
      `${ref} does not exist yet (the first build for this registry path): every layer is built; ` +
        `this build writes it for the next one`,
    );
  } catch (err) {
    note(req.d, `could not read ${ref} (${errorMessage(err)}); building without it`);
  }
  return false;
}

/** The plan with the cache sources that can actually be read (pulled, for the classic builder). */
export async function prepareLayerCache(req: LayerCacheRequest): Promise<CachePlan> {
  const plan = planBuildCache(req);
  for (const w of plan.warnings) req.d.log.warning(w);
  let from = plan.cacheFrom;
  if (plan.automaticSource && !(await automaticCacheExists(plan.automaticSource, req))) {
    const ref = plan.automaticSource;
    from = from.filter((f) => f !== ref && f !== `type=registry,ref=${ref}`);
  }
  if (req.builder.kind === 'classic') {
    const pulled: string[] = [];
    for (const ref of from) {
      const started = performance.now();
      const r = await docker(['pull', '--platform', req.platform, ref], {
        ...req.d,
        stream: false,
      });
      if (r.code === 0) {
        pulled.push(ref);
        note(req.d, `pulled ${ref} (${Math.round(performance.now() - started)} ms)`);
      } else {
        const why = r.tail.filter((l) => l.trim() !== '').at(-1) ?? `exit ${r.code}`;
        note(req.d, `could not pull ${ref} (${why.trim()}); building without it`);
      }
    }
    from = pulled;
  } else if (from.length > 0) {
    note(req.d, `reading ${from.join(', ')}`);
  }
  return { ...plan, cacheFrom: from };
}
