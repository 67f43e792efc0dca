// Queue config -> CreateCustomJobRequest, in four stages: parse (text -> spec and run
// mappings), check (keys and placeholders as written), resolve (templates, project, region)
// and assemble (the CustomJob, each value checked as it is mapped). Pure: everything it needs
// comes in as arguments (including the clock and the W&B run id), and every problem of the
// config is returned at once, located, rather than the first one thrown.
import { launchLabels } from '../launch-identity.ts';
import { isSecretName, redactSecrets } from '../redact.ts';
import { bindRegionTemplates } from '../region-bound.ts';
import { wandbRunUrl } from '../wandb.ts';
import type { PathProblem } from './convert.ts';
import { assembleStage } from './stage-assemble.ts';
import { checkStage } from './stage-check.ts';
import { parseStage } from './stage-parse.ts';
import { resolveStage } from './stage-resolve.ts';
import { launchWarnings } from './warnings.ts';
import type { CompiledLaunch, CompileOptions, CompileResult } from './types.ts';

export type { CompiledLaunch, CompileOptions, CompileResult };

export function provenanceLabels(opts: CompileOptions): Record<string, string> {
  return {
    ...launchLabels(opts.github, opts.wandbRunId, opts.launchId),
    ...opts.wandbLaunch?.labels,
  };
}

/** Values never to print: the W&B key and every env or vars entry with a secret-looking name. */
function secretValues(opts: CompileOptions): string[] {
  const named = [...Object.entries(opts.env), ...Object.entries(opts.vars)]
    .filter(([name]) => isSecretName(name))
    .map(([, value]) => value);
  return [opts.wandb.apiKey, ...named].filter((v): v is string => Boolean(v));
}

export function compileQueueConfig(opts: CompileOptions): CompileResult {
  const parsed = parseStage(opts.source);
  if (!parsed.ok) return parsed;
  const { document } = parsed;
  const out: PathProblem[] = [];
  checkStage(document, out);
  const resolved = resolveStage(document, opts, out);
  const job = assembleStage(resolved, opts, provenanceLabels(opts), out);
  // Messages quote the values they reject; a substituted secret must not be quoted.
  if (out.length > 0)
    return { ok: false, problems: redactSecrets(document.locate(out), secretValues(opts)) };

  const { project, region } = resolved.target;
  const usesImage = resolved.usedTemplates.has('image_uri');
  const warnings = [
    ...job.runWarnings,
    ...launchWarnings({
      spec: document.spec,
      run: document.run,
      pools: job.pools,
      wandbRunId: opts.wandbRunId,
      image: opts.image,
      imageInput: opts.imageInput,
      usesImage,
    }),
  ];
  return {
    ok: true,
    launch: bindRegionTemplates({
      request: { parent: `projects/${project}/locations/${region}`, customJob: job.customJob },
      project,
      region,
      sync: job.sync,
      stagingBucket: resolved.spec.staging_bucket as string,
      warnings,
      usesImage,
      wandbRunUrl: wandbRunUrl(opts.wandb, opts.wandbRunId),
      secrets: secretValues(opts),
    }),
  };
}

/** The launch with labels added (known only after compiling, such as the check run's id). */
export function withLabels(launch: CompiledLaunch, labels: Record<string, string>): CompiledLaunch {
  const customJob = {
    ...launch.request.customJob,
    labels: { ...launch.request.customJob.labels, ...labels },
  };
  return { ...launch, request: { ...launch.request, customJob } };
}
