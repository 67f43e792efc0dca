// The action's main step, phase by phase: inputs, queue config, credentials, image, request,
// submit, follow, report. Each phase's errors name the phase; one catch at the bottom turns
// them into the step's failure.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { formatProblem, UserError } from './core/errors.ts';
import { conclusionOf, isTerminal } from './core/job.ts';
import type { JobSnapshot } from './core/job.ts';
import { redactSecrets } from './core/redact.ts';
import { renderSummaryMarkdown } from './core/report/index.ts';
import type { LaunchReport } from './core/report/index.ts';
import { formatDuration } from './core/duration.ts';
import { resolveCredentials } from './google-auth/index.ts';
import { envInputReader, readLaunchContext } from './github/inputs.ts';
import {
  actionLog as log,
  annotateProblems,
  fail,
  group,
  saveState,
  setOutput,
  setSecret,
  STATE,
  writeJobSummary,
} from './github/runtime.ts';
import { builtImage, intendedImage, plannedImage, prebuiltImage } from './phases/image.ts';
import type { ChosenImage } from './phases/image.ts';
import { prepareLaunch } from './phases/prepare.ts';
import { baseReport, withJob } from './phases/report.ts';
import { writeRequestFile } from './phases/request-file.ts';
import { createReporter, githubRunContextFromEnv } from './reporting/index.ts';
import {
  cancelCustomJob,
  connectVertex,
  followCustomJob,
  resolveVertexEndpoint,
  submitCustomJob,
} from './vertex/index.ts';
import { abortOnSignals } from './phases/signals.ts';

const ACTION = 'wb-vertex-launch';

async function run(env: NodeJS.ProcessEnv): Promise<void> {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();

  // 1. Inputs, parsed once. Secrets are masked before anything can print them.
  const ctx = await readLaunchContext(envInputReader(env), workspace);
  for (const secret of [ctx.wandb.apiKey, ctx.reporting.githubToken]) if (secret) setSecret(secret);
  const prepared = prepareLaunch(ctx, env);
  const reporter = createReporter({
    run: githubRunContextFromEnv(env),
    settings: ctx.reporting,
    log,
    checkName: `Vertex AI: ${ctx.displayName ?? env.GITHUB_JOB ?? 'training job'}`,
    queueConfigFile: ctx.queueConfig.origin.startsWith('<') ? undefined : ctx.queueConfig.origin,
  });

  // 2. The queue config, checked in full before anything is built or called.
  const checked = prepared.compile(intendedImage(ctx));
  if (!checked.ok) {
    annotateProblems(checked.problems, 'Invalid queue config');
    await reporter.configProblems(checked.problems);
    throw new UserError(
      'queue-config',
      `${checked.problems.length} problem(s) in ${ctx.queueConfig.origin}`,
      checked.problems,
    );
  }
  for (const warning of checked.launch.warnings) log.warning(warning);
  for (const secret of checked.launch.secrets) setSecret(secret);
  const region = checked.launch.region;

  if (ctx.dryRun) {
    const image =
      prebuiltImage(ctx, log) ??
      (checked.launch.usesImage ? await plannedImage(ctx, workspace) : undefined);
    const launch = prepared.compile(image);
    if (!launch.ok)
      throw new UserError('queue-config', 'the queue config is not valid', launch.problems);
    const report = baseReport(launch.launch, image, true);
    const file = await writeRequestFile(
      JSON.parse(report.requestJson ?? '{}'),
      env,
      prepared.wandbRunId,
    );
    await group('Dry run: the request that would be submitted', async () =>
      log.info(report.requestJson ?? ''),
    );
    publishLaunchOutputs(file, image, launch.launch.wandbRunUrl);
    if (ctx.reporting.jobSummary) await writeJobSummary(renderSummaryMarkdown(report));
    log.info(`Dry run: nothing was built or submitted. Request written to ${file}`);
    return;
  }

  // 3. Credentials: workload identity federation, else Application Default Credentials. A
  // plaintext local endpoint with nothing to push needs none.
  const needsBuild = !ctx.image && Boolean(ctx.registry) && checked.launch.usesImage;
  const plaintext = !resolveVertexEndpoint({
    region,
    endpoint: ctx.vertexEndpoint,
    universe: ctx.auth.universe,
  }).tls;
  const needsGoogle = !plaintext || needsBuild || Boolean(ctx.auth.workloadIdentityProvider);
  const credentials = needsGoogle
    ? await group('Authenticating to Google Cloud', () =>
        resolveCredentials(ctx.auth, checked.launch.project, { env, setSecret, log }),
      )
    : undefined;

  // 4. The image: prebuilt, or built and pushed (skipped when the registry has it already).
  let image: ChosenImage | undefined = prebuiltImage(ctx, log);
  if (needsBuild && credentials) {
    const dockerConfigDir = join(
      env.RUNNER_TEMP || tmpdir(),
      `wb-vertex-launch-docker-${prepared.wandbRunId}`,
    );
    saveState(STATE.dockerConfig, dockerConfigDir);
    image = await builtImage(ctx, {
      workspace,
      getAccessToken: () => credentials.getAccessToken(),
      commitSha: prepared.github.sha,
      region,
      dockerConfigDir,
      log,
      group,
    });
  }

  // 5. The final request, with the image pinned.
  const compiled = prepared.compile(image);
  if (!compiled.ok)
    throw new UserError('queue-config', 'the queue config is not valid', compiled.problems);
  const launch = compiled.launch;
  let report = baseReport(launch, image, false);
  const requestFile = await writeRequestFile(
    redactSecrets(launch.request, launch.secrets),
    env,
    prepared.wandbRunId,
  );
  publishLaunchOutputs(requestFile, image, launch.wandbRunUrl);

  // 6. Submit, exactly once; the job's handle is published before any waiting.
  const vertex = await connectVertex({
    region,
    endpoint: ctx.vertexEndpoint,
    authClient: credentials?.authClient,
    projectId: launch.project,
    universe: ctx.auth.universe,
  });
  const wait = ctx.wait ?? launch.sync ?? true;
  try {
    const submitted = await group('Submitting the Vertex AI CustomJob', () =>
      submitCustomJob(vertex, launch.request, { launchLabel: prepared.launchLabel, log }),
    );
    let job = submitted.job;
    saveState(STATE.jobName, job.name);
    saveState(STATE.jobPhase, wait ? 'following' : 'detached');
    report = withJob(report, job, { waiting: wait });
    publishJobOutputs(report, job);
    log.info(`Vertex AI console: ${report.links.console}`);
    await reporter.submitted(report);
    if (!wait) {
      await finish(report, ctx.reporting.jobSummary);
      return;
    }

    // 7. Follow the job until it ends, the wait times out, or the workflow is cancelled.
    // Handlers stay for the rest of the step: a second signal must not kill the cancel call.
    const abort = abortOnSignals();
    const followed = await followCustomJob(vertex, job.name, {
      timeoutSeconds: ctx.waitTimeoutSeconds,
      signal: abort.signal,
      log,
      onStateChange: async (changed) => {
        report = withJob(report, changed, { waiting: true });
        setOutput('job-state', changed.state);
        await reporter.stateChanged(report);
      },
    });
    job = followed.job;

    if (followed.aborted) {
      if (ctx.cancelOnAbort) {
        job = await cancelCustomJob(vertex, job.name);
        saveState(STATE.jobPhase, 'cancel-requested');
        log.warning(`The workflow was cancelled: cancellation of ${job.name} was requested.`);
      } else {
        saveState(STATE.jobPhase, 'left-running');
        log.warning(
          `The workflow was cancelled; cancel-on-abort is false, so ${job.name} keeps running.`,
        );
      }
      report = withJob(report, job, { waiting: false, outcome: 'cancelled' });
      await finish(report, ctx.reporting.jobSummary);
      await reporter.finished(report);
      throw new UserError('wait', 'the workflow was cancelled while the job ran');
    }
    saveState(STATE.jobPhase, 'done');
    report = withJob(report, job, { waiting: false, waitTimedOut: followed.timedOut });
    setOutput('job-state', job.state);
    await finish(report, ctx.reporting.jobSummary);
    await reporter.finished(report);
    concludeJob(job, followed.timedOut, ctx.waitTimeoutSeconds, report.links.console);
  } finally {
    await vertex.close();
  }
}

function publishLaunchOutputs(
  requestFile: string,
  image: ChosenImage | undefined,
  wandbRunUrl: string | undefined,
): void {
  setOutput('request-file', requestFile);
  setOutput('image-uri', image?.uri);
  setOutput('image-digest', image?.digest);
  setOutput('wandb-run-url', wandbRunUrl);
}

function publishJobOutputs(report: LaunchReport, job: JobSnapshot): void {
  setOutput('job-name', job.name);
  setOutput('job-id', job.id);
  setOutput('job-state', job.state);
  setOutput('job-url', report.links.console);
}

async function finish(report: LaunchReport, jobSummary: boolean): Promise<void> {
  if (jobSummary) await writeJobSummary(renderSummaryMarkdown(report));
}

/** The step's verdict on a job it followed: only SUCCEEDED passes. */
function concludeJob(
  job: JobSnapshot,
  timedOut: boolean,
  timeoutSeconds: number,
  url: string | undefined,
): void {
  if (timedOut && !isTerminal(job.state)) {
    throw new UserError(
      'wait',
      `stopped following after ${formatDuration(timeoutSeconds)} (wait-timeout); ${job.name} is still ${job.state} and keeps running: ${url}`,
    );
  }
  if (conclusionOf(job.state) === 'success') {
    log.info(`${job.name} succeeded.`);
    return;
  }
  const reason = job.error?.message ? `: ${job.error.message}` : '';
  throw new UserError('wait', `the job ended ${job.state}${reason} (${url})`);
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
