// Parsing of the `registry` input and of prebuilt image references. Pure: no I/O.
// Docker's reference grammar (distribution/reference) decides what a host and a path are;
// Artifact Registry and gcr.io add their own shapes on top.
import { UserError } from '../errors.ts';
import { quoted } from '../quote.ts';

export type RegistryKind = 'artifact-registry' | 'gcr' | 'other';

export interface ParsedRegistry {
  kind: RegistryKind;
  /** Registry host, with port when given: `us-central1-docker.pkg.dev`, `127.0.0.1:5000`. */
  host: string;
  /** The repository name the registry API uses (`/v2/<repository>/...`): everything after the host. */
  repository: string;
  /** `host/repository`, the image name without tag or digest. */
  name: string;
  /** Artifact Registry location (`us-central1`, or the multi-regions `us`, `europe`, `asia`); gcr.io's region. */
  location?: string;
  project?: string;
  /** Artifact Registry repository id (the REPO in REGION-docker.pkg.dev/PROJECT/REPO/IMAGE). */
  arRepository?: string;
  /** Image path inside the project / Artifact Registry repository. */
  image?: string;
  /** Things worth telling the user that do not stop the build. */
  warnings: string[];
}

export const AR_FORM = 'REGION-docker.pkg.dev/PROJECT/REPO/IMAGE';
const EXPECTED =
  `expected ${AR_FORM} (e.g. us-central1-docker.pkg.dev/my-project/my-repo/trainer), ` +
  `a gcr.io path (gcr.io/PROJECT/IMAGE), or HOST[:PORT]/PATH for another registry`;

// distribution/reference: a path component, and a domain component.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$/;
const IPV6_HOST = /^\[[0-9a-fA-F:.]+\](?::[0-9]+)?$/;
const AR_HOST = /^([a-z0-9-]+)-docker\.pkg\.dev$/;
const GCR_HOST = /^(?:(us|eu|asia)\.)?gcr\.io$/;
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const AR_REPO_ID = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MULTI_REGIONS = new Set(['us', 'europe', 'asia']);

function fail(value: string, message: string): never {
  throw new UserError('inputs', `registry: ${message}`, [
    { path: 'registry', message: `${message}; got ${quoted(value)}` },
  ]);
}

/** Docker's rule: the first component is a host when it has a dot or a port, or is localhost. */
export function looksLikeHost(component: string): boolean {
  return (
    component.includes('.') ||
    component.includes(':') ||
    component === 'localhost' ||
    component.startsWith('[')
  );
}

/** Split `host/path[:tag][@digest]` the way Docker does; `host` is undefined for Docker Hub names. */
export function splitReference(ref: string): {
  host?: string;
  path: string;
  tag?: string;
  digest?: string;
} {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf('/');
  let host: string | undefined;
  if (slash > 0 && looksLikeHost(rest.slice(0, slash))) {
    host = rest.slice(0, slash);
    rest = rest.slice(slash + 1);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { host, path: rest, tag, digest };
}

/** Parse and validate the `registry` input. Throws UserError('inputs') naming the expected form. */
export function parseRegistry(value: string): ParsedRegistry {
  const raw = value.trim();
  if (raw === '') fail(value, `empty; ${EXPECTED}`);
  if (/\s/.test(raw)) fail(value, `contains whitespace; ${EXPECTED}`);
  if (/^[a-z]+:\/\//i.test(raw)) {
    fail(value, `drop the URL scheme (${quoted(`${raw.split('://')[0]}://`)}); ${EXPECTED}`);
  }
  const stripped = raw.replace(/\/+$/, '');
  if (!stripped.includes('/') && /^(?:localhost|[^:]*\.[^:]*)(?::[0-9]+)?$/.test(stripped)) {
    fail(value, `no image path after ${quoted(stripped)}; ${EXPECTED}`);
  }
  const ref = splitReference(stripped);
  if (ref.digest !== undefined || ref.tag !== undefined) {
    const what = ref.digest !== undefined ? `digest "@${ref.digest}"` : `tag ":${ref.tag}"`;
    fail(
      value,
      `has a ${what}; give the image path without tag or digest: the action tags each build itself ` +
        `(ctx-<context hash> and the commit SHA)`,
    );
  }
  if (ref.host === undefined) {
    fail(value, `${quoted(raw)} has no registry host (it would mean Docker Hub); ${EXPECTED}`);
  }
  const host = ref.host;
  if (!DOMAIN.test(host) && !IPV6_HOST.test(host))
    fail(value, `${quoted(host)} is not a valid host; ${EXPECTED}`);
  if (ref.path === '') fail(value, `no image path after ${quoted(host)}; ${EXPECTED}`);
  const components = ref.path.split('/');
  for (const c of components) {
    if (!PATH_COMPONENT.test(c)) {
      const hint = c !== c.toLowerCase() ? ' (image paths must be lowercase)' : '';
      fail(value, `${quoted(c)} is not a valid image path component${hint}; ${EXPECTED}`);
    }
  }
  const repository = components.join('/');
  const base: ParsedRegistry = {
    kind: 'other',
    host,
    repository,
    name: `${host}/${repository}`,
    warnings: [],
  };

  const ar = AR_HOST.exec(host);
  if (ar) return parseArtifactRegistry(value, base, ar[1], components);
  const gcr = GCR_HOST.exec(host);
  if (gcr) {
    if (components.length < 2)
      fail(value, `a gcr.io path needs PROJECT/IMAGE: ${host}/PROJECT/IMAGE`);
    const location = gcr[1] === 'eu' ? 'europe' : (gcr[1] ?? 'us');
    return {
      ...base,
      kind: 'gcr',
      location,
      project: components[0],
      image: components.slice(1).join('/'),
    };
  }
  if (host.endsWith('.pkg.dev') || host.endsWith('.gcr.io')) {
    fail(value, `${quoted(host)} is not an Artifact Registry Docker host; ${EXPECTED}`);
  }
  base.warnings.push(
    `registry host ${host} is not Artifact Registry (${AR_FORM}): the action logs in to it with the ` +
      `Google access token as oauth2accesstoken, and Vertex AI must be able to pull from it`,
  );
  return base;
}

function parseArtifactRegistry(
  value: string,
  base: ParsedRegistry,
  location: string,
  components: string[],
): ParsedRegistry {
  // Domain-scoped projects (example.com:my-project) appear as example.com/my-project.
  const scoped = components[0].includes('.');
  const projectParts = scoped ? 2 : 1;
  if (components.length < projectParts + 2) {
    fail(
      value,
      `Artifact Registry paths need PROJECT/REPO/IMAGE after the host; expected ${AR_FORM}`,
    );
  }
  const project = scoped ? `${components[0]}:${components[1]}` : components[0];
  const projectId = scoped ? components[1] : components[0];
  if (!PROJECT_ID.test(projectId)) {
    fail(
      value,
      `${quoted(projectId)} is not a valid project id (6-30 lowercase letters, digits, hyphens); expected ${AR_FORM}`,
    );
  }
  const arRepository = components[projectParts];
  if (!AR_REPO_ID.test(arRepository)) {
    fail(
      value,
      `${quoted(arRepository)} is not a valid Artifact Registry repository id; expected ${AR_FORM}`,
    );
  }
  return {
    ...base,
    kind: 'artifact-registry',
    location,
    project,
    arRepository,
    image: components.slice(projectParts + 1).join('/'),
  };
}

/** Continent of a Vertex region (`us-central1` -> `us`, `europe-west4` -> `europe`). */
function continentOf(region: string): string {
  const head = region.split('-')[0];
  // northamerica-*, southamerica-* are not in the `us` multi-region; keep them distinct.
  return head === 'eu' ? 'europe' : head;
}

/** A warning when the registry's location differs from the job's region (slower pulls, egress cost). */
export function registryRegionWarning(reg: ParsedRegistry, jobRegion: string): string | undefined {
  if (reg.location === undefined || jobRegion === '') return undefined;
  if (reg.location === jobRegion) return undefined;
  if (MULTI_REGIONS.has(reg.location) && continentOf(jobRegion) === reg.location) return undefined;
  return (
    `registry ${reg.host} is in ${reg.location} but the job runs in ${jobRegion}: ` +
    `Vertex AI pulls the image across regions (slower start, possible egress charges). ` +
    `Use ${jobRegion}-docker.pkg.dev/... to keep them together`
  );
}

const HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/**
 * For a prebuilt `image`: a warning when Vertex AI may be unable to pull it, i.e. it is neither
 * in Artifact Registry / gcr.io nor a Docker Hub image (which Vertex pulls when public).
 */
export function prebuiltImageWarning(image: string): string | undefined {
  const ref = splitReference(image.trim());
  if (ref.host === undefined || HUB_HOSTS.has(ref.host)) return undefined;
  const hostOnly = ref.host.replace(/:[0-9]+$/, '');
  if (AR_HOST.test(hostOnly) || GCR_HOST.test(hostOnly) || hostOnly.endsWith('.gcr.io'))
    return undefined;
  return (
    `image ${image} is on ${ref.host}, which is neither Artifact Registry (*-docker.pkg.dev), gcr.io ` +
    `nor Docker Hub: Vertex AI must pull it with the job's service account and may not be able to. ` +
    `Push it to Artifact Registry, or use the registry input to build there`
  );
}
