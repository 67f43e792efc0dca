// `dry-run: true`: everything resolved (the image a build would push, computed locally), the
// request printed and written, nothing built or called.
import type { LaunchContext } from '../context.ts';
import { UserError } from '../core/errors.ts';
import { renderSummaryMarkdown } from '../core/report/index.ts';
import { actionLog as log, group, writeJobSummary } from '../github/runtime.ts';
import { plannedImage, prebuiltImage } from './image.ts';
import { dryRunPreflight } from './preflight.ts';
import type { PreparedLaunch } from './prepare.ts';
import { baseReport } from './report.ts';
import { writeRequestFile } from './request-file.ts';
import { publishLaunchOutputs } from './outputs.ts';

export async function dryRun(
  ctx: LaunchContext,
  prepared: PreparedLaunch,
  usesImage: boolean,
  env: NodeJS.ProcessEnv,
  workspace: string,
): Promise<void> {
  const image =
    prebuiltImage(ctx, log) ?? (usesImage ? await plannedImage(ctx, workspace) : undefined);
  const compiled = prepared.compile(image);
  if (!compiled.ok)
    throw new UserError('queue-config', 'the queue config is not valid', compiled.problems);
  await dryRunPreflight(ctx, compiled.launch);
  const report = baseReport(compiled.launch, image, true);
  const file = await writeRequestFile(
    JSON.parse(report.requestJson ?? '{}'),
    env,
    prepared.wandbRunId,
  );
  await group('Dry run: the request that would be submitted', async () =>
    log.info(report.requestJson ?? ''),
  );
  publishLaunchOutputs(file, image, compiled.launch.wandbRunUrl);
  if (ctx.reporting.jobSummary) await writeJobSummary(renderSummaryMarkdown(report));
  log.info(`Dry run: nothing was built or submitted. The request is in ${file}`);
}
