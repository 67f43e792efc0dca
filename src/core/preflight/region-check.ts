// The job's region against Vertex AI's training regions, and the registries its images come
// from against the job's region. Both are about where things are; neither needs a network call.
import {
  parseRegistry,
  registryRegionWarning,
  splitReference,
  type ParsedRegistry,
} from '../image/registry.ts';
import type { Finding, PreflightReport } from './findings.ts';
import { isTrainingRegion, TRAINING_REGIONS_SOURCE } from './regions.ts';

export function checkRegion(region: string, path: string): PreflightReport {
  if (isTrainingRegion(region)) {
    return {
      findings: [],
      passed: [`region ${region}: Vertex AI training runs there`],
      skipped: [],
    };
  }
  return {
    findings: [
      {
        check: 'region',
        level: 'warning',
        path,
        message: `${region} is not among the regions where Vertex AI is known to run custom training (${TRAINING_REGIONS_SOURCE}); new regions appear, so the launch goes on, but check the name`,
      },
    ],
    passed: [],
    skipped: [],
  };
}

/** An image's registry, when it is Artifact Registry or gcr.io (the ones with a location). */
function registryOfImage(image: string): ParsedRegistry | undefined {
  const ref = splitReference(image.trim());
  if (!ref.host) return undefined;
  try {
    return parseRegistry(`${ref.host}/${ref.path}`);
  } catch {
    return undefined;
  }
}

export interface ImageSource {
  /** `registry`, `image` or the config path of a pool's image. */
  path: string;
  /** The `registry` input, or an image reference. */
  value: string;
  isRegistry: boolean;
}

/** One warning per registry host that is not where the job runs (the first place naming it). */
export function checkRegistries(sources: ImageSource[], region: string): PreflightReport {
  const findings: Finding[] = [];
  const passed: string[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    let reg: ParsedRegistry | undefined;
    try {
      reg = source.isRegistry ? parseRegistry(source.value) : registryOfImage(source.value);
    } catch {
      reg = undefined; // The input phase reports a malformed registry.
    }
    if (!reg || reg.location === undefined || seen.has(reg.host)) continue;
    seen.add(reg.host);
    const warning = registryRegionWarning(reg, region);
    if (warning)
      findings.push({ check: 'registry', level: 'warning', path: source.path, message: warning });
    else passed.push(`registry ${reg.host}: pulls stay within ${reg.location}`);
  }
  return { findings, passed, skipped: [] };
}
