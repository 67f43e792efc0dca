// The action's main step, phase by phase: inputs, queue config, credentials, image, request,
// submit, follow, report. `attach` follows a job launched earlier and `reconcile` completes
// the reports of ended ones instead (phases/attach.ts, phases/reconcile-step.ts). Each phase's
// errors name the phase; one catch at the bottom turns them into the step's failure.
// `agent` drains a W&B Launch queue instead (phases/agent/).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openVertex } from './cloud/connect.ts';
import type { LaunchContext } from './context.ts';
import { planRegions, type RegionPlan } from './core/attempts.ts';
import { formatProblem, UserError } from './core/errors.ts';
import { consoleUrl, type JobSnapshot } from './core/job.ts';
import { MAX_LABELS } from './core/labels.ts';
import { LABEL } from './core/launch-identity.ts';
import { withLabels, type CompiledLaunch } from './core/queue-config/compile.ts';
import { redactSecrets } from './core/redact.ts';
import { imageInRegion, inputsInRegion } from './core/region-bound.ts';
import type { GoogleCredentials } from './google-auth/index.ts';
import { envInputReader, readLaunchContext } from './github/inputs.ts';
import { actionLog as log, annotateProblems, fail, group, setSecret } from './github/runtime.ts';
import { saveDockerConfig, saveJob, saveLaunchId } from './github/state.ts';
import { agentPass } from './phases/agent/index.ts';
import { attachToJob } from './phases/attach.ts';
import { launchAcrossRegions, type AttemptRun } from './phases/attempts.ts';
import { authenticate } from './phases/auth.ts';
import { dryRun } from './phases/dry-run.ts';
import { followToEnd } from './phases/follow.ts';
import { refuseForkPullRequest } from './phases/fork-guard.ts';
import { builtImage, copyToFallbackRegions, intendedImage, prebuiltImage } from './phases/image.ts';
import type { ChosenImage } from './phases/image.ts';
import { publishJobOutputs, publishLaunchOutputs } from './phases/outputs.ts';
import { preflight } from './phases/preflight.ts';
import { DOCKER_CONFIG_PREFIX } from './phases/post-proof.ts';
import { newLaunchLabel, prepareLaunch } from './phases/prepare.ts';
import type { PreparedLaunch } from './phases/prepare.ts';
import { LaunchProgress } from './phases/progress.ts';
import { baseReport } from './phases/report.ts';
import { writeRequestFile } from './phases/request-file.ts';
import { reconcileStep } from './phases/reconcile-step.ts';
import { fromWandbLaunch } from './phases/wandb-launch.ts';
import { createReporter, githubRunContextFromEnv } from './reporting/index.ts';
import type { Reporter } from './reporting/index.ts';
import { submitCustomJob } from './vertex/index.ts';

const ACTION = 'wb-vertex-launch';
/** Stands in for the project while the config is checked, until the credentials name it. */
const PROJECT_FROM_CREDENTIALS = 'project-from-credentials';

async function run(env: NodeJS.ProcessEnv): Promise<void> {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();

  // 1. Inputs, parsed once. Secrets are masked before anything can print them.
  let ctx = await readLaunchContext(envInputReader(env), workspace);
  for (const secret of [ctx.wandb.apiKey, ctx.reporting.githubToken]) if (secret) setSecret(secret);
  if (ctx.mode.kind === 'attach') return attachToJob(ctx, ctx.mode.jobName, env);
  if (ctx.mode.kind === 'reconcile') return reconcileStep(ctx, env);
  // A fork's pull request launches nothing, before any credential is touched.
  if (!ctx.dryRun && (await refuseForkPullRequest(ctx, env))) return;
  if (ctx.mode.kind === 'agent') return agentPass(ctx, env);
  // 1b. W&B Launch: a queue's config and a job's image, read from W&B, complete the inputs.
  Object.assign(ctx, await fromWandbLaunch(ctx));
  const prepared = prepareLaunch(ctx, env);
  // The post step cancels only a job (or Kaniko build job) whose labels carry this id.
  saveLaunchId(prepared.launchLabel.value);
  const leg = prepared.leg.label ? ` (${prepared.leg.label})` : '';
  const reporter = createReporter({
    run: githubRunContextFromEnv(env),
    settings: ctx.reporting,
    log,
    checkName: `Vertex AI: ${ctx.displayName ?? env.GITHUB_JOB ?? 'training job'}${leg}`,
    leg: prepared.leg,
    queueConfigFile:
      ctx.queueConfig.origin.startsWith('<') || ctx.queueConfig.unlocated
        ? undefined
        : ctx.queueConfig.origin,
  });

  // 2. The queue config, checked in full before anything is built or called. Without a
  // project input (or spec.project) the project comes from the credentials, in phase 3.
  if (ctx.dryRun) {
    const checked = await checkQueueConfig(ctx, prepared, reporter, ctx.project);
    return dryRun(inputsInRegion(ctx, checked.region), prepared, checked.usesImage, env, workspace);
  }
  const checked = await checkQueueConfig(
    ctx,
    prepared,
    reporter,
    ctx.project ?? PROJECT_FROM_CREDENTIALS,
  );
  const knownProject = checked.project === PROJECT_FROM_CREDENTIALS ? undefined : checked.project;
  // `{region}` in image or registry: the job's region now, each fallback region's on its attempt.
  ctx = inputsInRegion(ctx, checked.region);

  // From here on, whatever fails also completes the check run, comment and summary.
  const progress = new LaunchProgress(
    reporter,
    { ...baseReport(checked, undefined, false), project: knownProject ?? '(from the credentials)' },
    ctx.reporting.jobSummary,
  );
  try {
    // 3. Credentials: workload identity federation, else Application Default Credentials.
    const needsBuild = !ctx.image && Boolean(ctx.registry) && checked.usesImage;
    const credentials = await authenticate(ctx, checked.region, knownProject, needsBuild, env);
    const project = knownProject ?? credentials?.projectId;
    if (!project) {
      throw new UserError(
        'auth',
        'no Google Cloud project: set the `project` input (or spec.project in the queue config); the credentials name none',
      );
    }

    // 3b. Preflight: bucket, service account and machine, before anything is built or queued.
    const unusable = await preflight(ctx, checked, { credentials, reporter, progress });

    // 4. The image: prebuilt, or built and pushed (skipped when the registry has it already),
    // and with `{region}` in registry copied to every fallback region that may be tried.
    const regions = planRegions(checked.region, ctx.fallbackRegions, unusable);
    const image =
      needsBuild && credentials
        ? await buildImage(ctx, prepared, checked, project, credentials, env, workspace, regions)
        : prebuiltImage(ctx, log);

    // 5. The final request, with the image pinned.
    const compiled = prepared.compile(image, project);
    if (!compiled.ok)
      throw new UserError('queue-config', 'the queue config is not valid', compiled.problems);
    progress.update(baseReport(compiled.launch, image, false));
    // The check run opens before the submit, so the job can carry its id (for reconcile).
    const checkRunId = await progress.opening();
    // (Without room for one more label, reconcile finds the check run on its commit instead.)
    const room = Object.keys(compiled.launch.request.customJob.labels ?? {}).length < MAX_LABELS;
    const launch =
      checkRunId === undefined || !room
        ? compiled.launch
        : withLabels(compiled.launch, { [LABEL.checkRun]: String(checkRunId) });
    const requestFile = await writeRequestFile(
      redactSecrets(launch.request, launch.secrets),
      env,
      prepared.wandbRunId,
    );
    publishLaunchOutputs(requestFile, image, launch.wandbRunUrl);

    // 6 and 7. Submit exactly once per region, then follow the job to its end; a region
    // without capacity passes the same request on to the next of `fallback-regions`.
    await submitInRegions(ctx, prepared, { launch, image, regions }, credentials, progress);
  } catch (err) {
    await progress.failed(err instanceof Error ? err.message : String(err));
    throw err;
  }
}

async function checkQueueConfig(
  ctx: LaunchContext,
  prepared: PreparedLaunch,
  reporter: Reporter,
  project: string | undefined,
): Promise<CompiledLaunch> {
  const checked = prepared.compile(intendedImage(ctx), project);
  if (!checked.ok) {
    annotateProblems(checked.problems, 'Invalid queue config');
    await reporter.configProblems(checked.problems);
    const count = checked.problems.length;
    throw new UserError(
      'queue-config',
      `${count} problem${count > 1 ? 's' : ''} in ${ctx.queueConfig.origin}`,
      checked.problems,
    );
  }
  for (const warning of checked.launch.warnings) log.warning(warning);
  for (const secret of checked.launch.secrets) setSecret(secret);
  return checked.launch;
}

async function buildImage(
  ctx: LaunchContext,
  prepared: PreparedLaunch,
  launch: CompiledLaunch,
  project: string,
  credentials: GoogleCredentials,
  env: NodeJS.ProcessEnv,
  workspace: string,
  regions: RegionPlan,
): Promise<ChosenImage> {
  // The registry login lives under RUNNER_TEMP, never the workspace; the post step removes it.
  const dockerConfigDir = join(
    env.RUNNER_TEMP || tmpdir(),
    `${DOCKER_CONFIG_PREFIX}${prepared.wandbRunId}`,
  );
  saveDockerConfig(dockerConfigDir);
  const image = await builtImage(ctx, {
    workspace,
    getAccessToken: () => credentials.getAccessToken(),
    commitSha: prepared.github.sha,
    jobRegion: launch.region,
    dockerConfigDir,
    log,
    group,
    // builder: kaniko runs the build as a Vertex AI job beside the training job.
    remote: { prepared, launch, project, credentials, env },
  });
  const getAccessToken = () => credentials.getAccessToken();
  await copyToFallbackRegions(ctx, image, regions.regions.slice(1), { getAccessToken, log, group });
  return image;
}

function submitInRegions(
  ctx: LaunchContext,
  prepared: PreparedLaunch,
  { launch, image, regions }: { launch: CompiledLaunch; image?: ChosenImage; regions: RegionPlan },
  credentials: GoogleCredentials | undefined,
  progress: LaunchProgress,
): Promise<void> {
  return launchAcrossRegions(
    {
      launch,
      plan: regions,
      imageFor: (region) => imageInRegion(ctx.regionTemplates ?? {}, image, region),
      firstLabel: prepared.launchLabel,
      newLabel: () => newLaunchLabel(prepared.github),
      wait: ctx.wait ?? launch.sync ?? true,
      waitTimeoutSeconds: ctx.waitTimeoutSeconds,
      progress,
    },
    (attempt) => submitAndFollow(ctx, attempt, credentials, progress),
  );
}

async function submitAndFollow(
  ctx: LaunchContext,
  { launch, launchLabel, follow }: AttemptRun,
  credentials: GoogleCredentials | undefined,
  progress: LaunchProgress,
): Promise<JobSnapshot | undefined> {
  const vertex = await openVertex(
    { ...ctx, region: launch.region, project: launch.project },
    credentials,
  );
  const wait = ctx.wait ?? launch.sync ?? true;
  try {
    // 6. Submit, exactly once; the job's handle is published before any waiting.
    const submitted = await group('Submitting the Vertex AI CustomJob', () =>
      submitCustomJob(vertex, launch.request, { launchLabel, log }),
    );
    const job = submitted.job;
    saveJob('job', job.name, wait ? 'following' : 'detached');
    // This attempt's id in the job's labels: what the post step checks before it cancels it.
    saveLaunchId(launchLabel.value);
    // The handle first: reporting to GitHub may retry for a while.
    const url = consoleUrl(launch.region, job.id, launch.project);
    publishJobOutputs(job, url);
    log.info(`Vertex AI console: ${url}`);
    await progress.submitted(job, wait);
    if (!wait) {
      log.info(
        `Not following the job (wait: false). Follow it later with \`attach: ${job.name}\`, ` +
          'or let a scheduled `reconcile: true` run complete its check run when it ends.',
      );
      await progress.finish(job, {});
      return undefined;
    }

    // 7. Follow the job until it ends, the wait times out, or the workflow is cancelled.
    return await followToEnd(
      ctx,
      vertex,
      job,
      progress,
      { credentials, project: launch.project, secrets: launch.secrets },
      follow,
    );
  } finally {
    await vertex.close();
  }
}

try {
  await run(process.env);
} catch (err) {
  if (err instanceof UserError) {
    const details = err.problems.map((p) => `\n  ${formatProblem(p)}`).join('');
    fail(`${ACTION}: ${err.phase}: ${err.message}${details}`);
  } else {
    log.debug((err as Error)?.stack ?? String(err));
    fail(`${ACTION}: unexpected error: ${(err as Error)?.message ?? String(err)}`);
  }
}
