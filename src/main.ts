// The action's main step, phase by phase: inputs, queue config, credentials, image, request,
// submit and follow (phases/submit.ts), report. `attach` follows a job launched earlier and
// `reconcile` completes the reports of ended ones instead (phases/attach.ts,
// phases/reconcile-step.ts); `agent` drains a W&B Launch queue (phases/agent/). Each phase's
// errors name the phase; one catch at the bottom turns them into the step's failure.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LaunchContext } from './context.ts';
import { planRegions, type RegionPlan } from './core/attempts.ts';
import { errorMessage, formatProblem, UserError } from './core/errors.ts';
import { MAX_LABELS } from './core/labels.ts';
import { LABEL } from './core/launch-identity.ts';
import { withLabels, type CompiledLaunch } from './core/queue-config/compile.ts';
import { redactSecrets } from './core/redact.ts';
import { inputsInRegion } from './core/region-bound.ts';
import type { GoogleCredentials } from './google-auth/index.ts';
import { readLaunchContext } from './github/inputs.ts';
import { actionLog as log, annotateProblems, fail, group, setSecret } from './github/runtime.ts';
import { saveDockerConfig, saveLaunchId } from './github/state.ts';
import { agentPass } from './phases/agent/index.ts';
import { attachToJob } from './phases/attach.ts';
import { authenticate } from './phases/auth.ts';
import { dryRun } from './phases/dry-run.ts';
import { refuseForkPullRequest } from './phases/fork-guard.ts';
import { builtImage, copyToFallbackRegions, intendedImage, prebuiltImage } from './phases/image.ts';
import type { ChosenImage } from './phases/image.ts';
import { publishLaunchOutputs } from './phases/outputs.ts';
import { preflight } from './phases/preflight.ts';
import { DOCKER_CONFIG_PREFIX } from './phases/post-proof.ts';
import { prepareLaunch } from './phases/prepare.ts';
import type { PreparedLaunch } from './phases/prepare.ts';
import { LaunchProgress } from './phases/progress.ts';
import { baseReport } from './phases/report.ts';
import { writeRequestFile } from './phases/request-file.ts';
import { reconcileStep } from './phases/reconcile-step.ts';
import { submitInRegions } from './phases/submit.ts';
import { fromWandbLaunch } from './phases/wandb-launch.ts';
import { createReporter, githubRunContextFromEnv } from './reporting/index.ts';
import type { Reporter } from './reporting/index.ts';

const ACTION = 'wb-vertex-launch';
/** Stands in for the project while the config is checked, until the credentials name it. */
const PROJECT_FROM_CREDENTIALS = 'project-from-credentials';

async function run(env: NodeJS.ProcessEnv): Promise<void> {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();

  // 1. Inputs, parsed once. Secrets are masked before anything can print them.
  let ctx = await readLaunchContext(workspace);
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
  const reporter = launchReporter(ctx, prepared, env);

  // 2. The queue config, checked in full before anything is built or called. Without a
  // project input (or spec.project) the project comes from the credentials, in phase 3.
  if (ctx.dryRun) {
    const checked = await checkQueueConfig(ctx, prepared, reporter, ctx.project);
    return dryRun(inputsInRegion(ctx, checked.region), prepared, checked.usesImage, env, workspace);
  }
  const project = ctx.project ?? PROJECT_FROM_CREDENTIALS;
  const checked = await checkQueueConfig(ctx, prepared, reporter, project);
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
    const launchProject = projectOf(knownProject, credentials);

    // 3b. Preflight: bucket, service account and machine, before anything is built or queued.
    const unusable = await preflight(ctx, checked, { credentials, reporter, progress });

    // 4. The image: prebuilt, or built and pushed (skipped when the registry has it already),
    // and with `{region}` in registry copied to every fallback region that may be tried.
    const regions = planRegions(checked.region, ctx.fallbackRegions, unusable);
    const image =
      needsBuild && credentials
        ? await buildImage(
            ctx,
            prepared,
            checked,
            launchProject,
            credentials,
            env,
            workspace,
            regions,
          )
        : prebuiltImage(ctx, log);

    // 5. The final request, with the image pinned.
    const launch = await finalRequest(prepared, image, launchProject, progress, env);

    // 6 and 7. Submit exactly once per region, then follow the job to its end; a region
    // without capacity passes the same request on to the next of `fallback-regions`.
    await submitInRegions(ctx, prepared, { launch, image, regions }, credentials, progress);
  } catch (err) {
    await progress.failed(errorMessage(err));
    throw err;
  }
}

/** The check run, PR comment and job summary of this launch. */
function launchReporter(
  ctx: LaunchContext,
  prepared: PreparedLaunch,
  env: NodeJS.ProcessEnv,
): Reporter {
  const leg = prepared.leg.label ? ` (${prepared.leg.label})` : '';
  return createReporter({
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
}

/** The job's project: the inputs' or queue config's, else the credentials'. */
function projectOf(known: string | undefined, credentials: GoogleCredentials | undefined): string {
  const project = known ?? credentials?.projectId;
  if (!project) {
    throw new UserError(
      'auth',
      'no Google Cloud project: set the `project` input (or spec.project in the queue config); the credentials name none',
    );
  }
  return project;
}

/** The request as submitted: the image pinned, the check run's id in its labels, on file. */
async function finalRequest(
  prepared: PreparedLaunch,
  image: ChosenImage | undefined,
  project: string,
  progress: LaunchProgress,
  env: NodeJS.ProcessEnv,
): Promise<CompiledLaunch> {
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
  return launch;
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

try {
  await run(process.env);
} catch (err) {
  if (err instanceof UserError) {
    const details = err.problems.map((p) => `\n  ${formatProblem(p)}`).join('');
    fail(`${ACTION}: ${err.phase}: ${err.message}${details}`);
  } else {
    log.debug((err as Error)?.stack ?? String(err));
    fail(`${ACTION}: unexpected error: ${errorMessage(err)}`);
  }
}
