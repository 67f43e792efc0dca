// Stage 3: the run's own values. `${name}` templates are substituted (after parsing, so a
// value never changes the document's structure), then the target project and region are
// read from the substituted spec, since templates work there too.
import type { PathProblem } from './convert.ts';
import type { CompileOptions } from './types.ts';
import type { QueueConfigDocument, Section } from './stage-parse.ts';
import { checkTarget, defaultDisplayName } from './target.ts';
import { buildTemplateValues, unknownTemplateMessage } from './template-values.ts';
import { substituteTemplates } from './templates.ts';

export interface ResolvedQueueConfig {
  spec: Section;
  run: Section;
  target: { project: string; region: string };
  /** `${run_name}`: the display-name input, else the default name of the run. */
  runName: string;
  /** Template names the document used. */
  usedTemplates: ReadonlySet<string>;
}

export function resolveStage(
  document: QueueConfigDocument,
  opts: CompileOptions,
  out: PathProblem[],
): ResolvedQueueConfig {
  const runName = opts.displayName || defaultDisplayName(opts.github, opts.now, opts.leg);
  const templates = buildTemplateValues({
    image: opts.image,
    wandbProject: opts.wandb.project,
    wandbEntity: opts.wandb.entity,
    runId: opts.wandbRunId,
    runName,
    github: opts.github,
    vars: opts.vars,
  });
  out.push(...templates.problems);
  const resolved = substituteTemplates(document.root, templates.values);
  for (const issue of resolved.unknown) {
    out.push({ path: issue.path, message: unknownTemplateMessage(issue.name, templates.values) });
  }
  const root = resolved.value as Record<string, Section | undefined>;
  const spec = root.spec ?? {};
  const run = root.run ?? {};
  return {
    spec,
    run,
    target: checkTarget(spec, opts, out),
    runName,
    usedTemplates: resolved.used,
  };
}
