// `attach: projects/P/locations/L/customJobs/ID`: follow a job launched earlier (a detached
// launch, or one whose wait ran out), with no build and no submit. The step sets the same
// outputs and exit status as a launch that waited, and completes the job's own check run
// (found on the job's commit by its external_id, never created twice) and PR comment entry.
import { openVertex } from '../cloud/connect.ts';
import type { LaunchContext } from '../context.ts';
import { errorMessage, UserError } from '../core/errors.ts';
import { consoleUrl, isTerminal, parseJobName } from '../core/job.ts';
import { originOf } from '../core/launch-identity.ts';
import { actionLog as log, setOutput } from '../github/runtime.ts';
import { createReporter, githubRunContextFromEnv } from '../reporting/index.ts';
import { getCustomJob } from '../vertex/index.ts';
import { laterAttempt } from './attempts.ts';
import { authenticate } from './auth.ts';
import { followToEnd } from './follow.ts';
import { publishJobOutputs } from './outputs.ts';
import { LaunchProgress } from './progress.ts';
import { reportFromJob } from './report.ts';

export async function attachToJob(
  ctx: LaunchContext,
  jobName: string,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const where = parseJobName(jobName)!; // the input reader checked the form
  const credentials = await authenticate(ctx, where.location, where.project, false, env);
  const settings = { ...ctx, region: where.location, project: where.project };
  const vertex = await openVertex(settings, credentials);
  try {
    const job = await getCustomJob(vertex, jobName).catch((e: unknown) => {
      throw e instanceof UserError
        ? new UserError('attach', `${e.message} Check the attach input: ${jobName}`)
        : e;
    });
    // A launch that moved region on a stockout is one launch: follow its latest attempt.
    const later = await laterAttempt(job, ctx.fallbackRegions, (region) =>
      openVertex({ ...settings, region }, credentials),
    );
    if (later) {
      log.info(
        `${job.name} ran out of capacity; its launch went on as ${later.name}: following that.`,
      );
      return attachToJob(ctx, later.name, env);
    }
    const origin = originOf(job.labels);
    if (origin) {
      log.info(
        `Attaching to ${job.name}, launched by run ${origin.runId ?? '?'} attempt ${origin.runAttempt ?? '?'}` +
          `${origin.pr ? ` on pull request #${origin.pr}` : ''}; it is ${job.state}.`,
      );
    } else {
      log.info(`Attaching to ${job.name} (not launched by this action); it is ${job.state}.`);
    }
    const report = reportFromJob(job);
    const reporter = createReporter({
      run: githubRunContextFromEnv(env),
      settings: ctx.reporting,
      log,
      checkName: `Vertex AI: ${job.displayName || job.id}`,
      adopt: { jobName: job.name, headSha: origin?.headSha, pr: origin?.pr },
    });
    const progress = new LaunchProgress(reporter, report, ctx.reporting.jobSummary);
    publishJobOutputs(job, consoleUrl(where.location, job.id, where.project));
    setOutput('image-uri', report.imageUri);
    setOutput('image-digest', report.imageDigest);
    setOutput('wandb-run-url', report.links.wandb);
    try {
      if (isTerminal(job.state))
        log.info('The job has already ended: its reports are completed now.');
      await followToEnd(ctx, vertex, job, progress, {
        credentials,
        project: where.project,
        secrets: [],
      });
    } catch (err) {
      await progress.failed(errorMessage(err));
      throw err;
    }
  } finally {
    await vertex.close();
  }
}
