// What a valid config still deserves a word about: the launch goes on.
import type { JsonObject } from '../request.ts';
import { RUN_KEYS, SPEC_KEYS, WANDB_LAUNCH_READS } from './keys.ts';
import type { Section } from './stage-parse.ts';

export interface WarningFacts {
  /** The document as written (before templates). */
  spec: Section;
  run: Section;
  pools: JsonObject[];
  wandbRunId: string;
  image?: string;
  imageInput?: 'image' | 'registry';
  usesImage: boolean;
}

export function launchWarnings(facts: WarningFacts): string[] {
  const warnings: string[] = [];
  if (ownRunIds(facts.pools).some((id) => id !== facts.wandbRunId)) {
    warnings.push(
      `WANDB_RUN_ID is set in the queue config or the env input, and wins in the containers; the wandb-run-url output and the wandb-run-id label name the action's own run id ${facts.wandbRunId}`,
    );
  }
  if (facts.image && !facts.usesImage) {
    warnings.push(
      `the ${facts.imageInput ?? 'image'} input is not used: no worker pool refers to \${image_uri}, so the images written in the queue config run`,
    );
  }
  const ignored = wandbIgnoredKeys(facts.spec, facts.run);
  if (ignored.length > 0) {
    warnings.push(
      `${ignored.join(', ')}: applied here, but W&B Launch's Vertex runner ignores ${ignored.length > 1 ? 'them' : 'it'}`,
    );
  }
  return warnings;
}

/** Keys this action applies (known) that W&B Launch's runner does not read. */
function wandbIgnoredKeys(spec: Section, run: Section): string[] {
  const ignored = (section: 'spec' | 'run', value: Section, known: readonly string[]) => {
    const reads: readonly string[] = WANDB_LAUNCH_READS[section];
    return Object.keys(value)
      .filter((k) => known.includes(k) && !reads.includes(k))
      .map((k) => `${section}.${k}`);
  };
  return [...ignored('spec', spec, SPEC_KEYS), ...ignored('run', run, RUN_KEYS)];
}

/** The WANDB_RUN_ID values the pools' containers end up with. */
function ownRunIds(pools: JsonObject[]): string[] {
  const ids: string[] = [];
  for (const pool of pools) {
    for (const task of [pool.containerSpec, pool.pythonPackageSpec]) {
      const env = (task as JsonObject | undefined)?.env;
      if (!Array.isArray(env)) continue;
      for (const entry of env as JsonObject[]) {
        if (entry.name === 'WANDB_RUN_ID' && typeof entry.value === 'string') ids.push(entry.value);
      }
    }
  }
  return ids;
}
