// Preflight: before anything is built or submitted, the mistakes that would make the job fail
// minutes later. The offline checks (machine and accelerator, region, registry region) come
// first and need no network; then the staging bucket(s) and the run-as service account are
// checked against Cloud Storage and IAM, all at once. Every finding of the run is reported
// together, each on its config key: in the log (annotations), the job summary and the check run.
import type { LaunchContext } from '../context.ts';
import { UserError } from '../core/errors.ts';
import {
  actAsFindings,
  ACT_AS,
  bucketFindings,
  bucketTargets,
  CREATE_OBJECTS,
  errorsOf,
  mergeReports,
  offlineChecks,
  preflightErrorText,
  renderPreflightMarkdown,
  serviceAccountTarget,
  type Finding,
  type LocatedFinding,
  type PreflightReport,
  type Principal,
} from '../core/preflight/index.ts';
import type { UnusableRegion } from '../core/attempts.ts';
import type { CompiledLaunch } from '../core/queue-config/compile.ts';
import { isPlainObject } from '../core/queue-config/convert.ts';
import { parseQueueConfigText } from '../core/queue-config/source.ts';
import { redactSecrets } from '../core/redact.ts';
import { annotateProblems, actionLog as log, group, writeJobSummary } from '../github/runtime.ts';
import type { GoogleCredentials } from '../google-auth/index.ts';
import { iamClient, iamEndpoint } from '../iam/index.ts';
import type { Reporter } from '../reporting/index.ts';
import { connectStorage, storageEndpoint } from '../storage/index.ts';
import { checkFallbackRegions } from './preflight-regions.ts';
import type { LaunchProgress } from './progress.ts';

export interface PreflightDeps {
  /** None when every endpoint is a plaintext local one. */
  credentials?: GoogleCredentials;
  reporter: Reporter;
  progress: LaunchProgress;
}

/**
 * The whole preflight of a launch; throws UserError('preflight') when the launch would fail.
 * Returns the fallback regions the job cannot use (never tried).
 */
export async function preflight(
  ctx: LaunchContext,
  launch: CompiledLaunch,
  deps: PreflightDeps,
): Promise<UnusableRegion[]> {
  if (!ctx.preflight.enabled) {
    log.info('Preflight: off (preflight: false); nothing is checked before the launch.');
    return [];
  }
  const started = performance.now();
  const offline = offlineChecks(offlineInputs(ctx, launch));
  const [online, fallback] = await Promise.all([
    onlineChecks(ctx, launch, deps.credentials),
    checkFallbackRegions(ctx, launch, { credentials: deps.credentials, buckets: true }),
  ]);
  // Findings quote config values, which templates may have filled with secrets.
  const report = redactSecrets(mergeReports(offline, online, fallback.report), launch.secrets);
  const located = await publish(ctx, report, performance.now() - started);
  if (errorsOf(report).length === 0) return fallback.unusable;
  const errors = located.filter((f) => f.level === 'error');
  await deps.reporter.configProblems(errors);
  deps.progress.update({ error: { message: preflightErrorText(located) } });
  throw stopped(errors);
}

/** A dry run's preflight: the offline checks only (a dry run calls nothing). */
export async function dryRunPreflight(ctx: LaunchContext, launch: CompiledLaunch): Promise<void> {
  if (!ctx.preflight.enabled) return;
  const started = performance.now();
  const fallback = await checkFallbackRegions(ctx, launch, { buckets: false });
  const offline = mergeReports(offlineChecks(offlineInputs(ctx, launch)), fallback.report);
  const report = redactSecrets(offline, launch.secrets);
  report.skipped.push('staging bucket and service account: not checked in a dry run');
  const located = await publish(ctx, report, performance.now() - started);
  const errors = located.filter((f) => f.level === 'error');
  if (errors.length > 0) throw stopped(errors);
}

function stopped(errors: LocatedFinding[]): UserError {
  const n = errors.length;
  return new UserError(
    'preflight',
    `${n} problem${n === 1 ? '' : 's'} found before anything was built or submitted`,
    errors,
  );
}

function offlineInputs(ctx: LaunchContext, launch: CompiledLaunch) {
  const config = parseQueueConfigText(ctx.queueConfig).value;
  const spec = isPlainObject(config) && isPlainObject(config.spec) ? config.spec : {};
  const fromSpec = typeof spec.location === 'string' && spec.location !== '';
  return {
    request: launch.request,
    region: launch.region,
    regionPath: fromSpec ? 'spec.location' : 'region',
    registry: ctx.registry,
    image: ctx.image,
  };
}

/** Who the credentials act as, as far as the inputs and the client tell. */
function principalOf(ctx: LaunchContext, credentials?: GoogleCredentials): Principal {
  const email =
    ctx.auth.serviceAccount ??
    (credentials?.authClient as { email?: unknown } | undefined)?.email?.toString();
  return email
    ? { description: `the credentials (${email})`, member: `serviceAccount:${email}` }
    : { description: 'the credentials' };
}

async function onlineChecks(
  ctx: LaunchContext,
  launch: CompiledLaunch,
  credentials: GoogleCredentials | undefined,
): Promise<PreflightReport> {
  const region = launch.region;
  const jobSpec = launch.request.customJob.jobSpec as {
    baseOutputDirectory?: { outputUriPrefix?: string };
    serviceAccount?: string;
  };
  const buckets = bucketTargets(launch.stagingBucket, jobSpec.baseOutputDirectory?.outputUriPrefix);
  const account = serviceAccountTarget(jobSpec.serviceAccount);
  const skipped: string[] = [];
  if (!account)
    skipped.push(
      'run.service_account: not set; the job runs as the Vertex AI Custom Code Service Agent',
    );

  const { universe } = ctx.auth;
  const needsCredentials = (tls: boolean) => tls && !credentials;
  const storageTls = storageEndpoint(ctx.preflight.storageEndpoint, universe).tls;
  const iamTls = iamEndpoint(ctx.preflight.iamEndpoint, universe).tls;
  const principal = principalOf(ctx, credentials);
  const started = performance.now();
  const since = () => Math.round(performance.now() - started);
  // Every request goes out at once; IAM's is sent while the Storage client is still loading.
  const checks: Array<Promise<PreflightReport>> = [];

  if (account && needsCredentials(iamTls)) {
    skipped.push(`${account.path}: not checked, there are no credentials for IAM`);
  } else if (account) {
    const iam = iamClient({
      endpoint: ctx.preflight.iamEndpoint,
      universe,
      authClient: credentials?.authClient,
    });
    checks.push(
      iam.test(account.project, account.email, [ACT_AS]).then((outcome) => {
        log.debug(`Preflight: IAM answered after ${since()} ms`);
        return actAsFindings(account, outcome, principal);
      }),
    );
  }
  if (buckets.length > 0 && needsCredentials(storageTls)) {
    skipped.push('buckets: not checked, there are no credentials for Cloud Storage');
  } else if (buckets.length > 0) {
    const checkBuckets = async (): Promise<PreflightReport> => {
      const storage = await connectStorage({
        endpoint: ctx.preflight.storageEndpoint,
        universe,
        authClient: credentials?.authClient,
      });
      log.debug(`Preflight: Cloud Storage client ready after ${since()} ms`);
      const reports = await Promise.all(
        buckets.map(async (target) => {
          const [location, permissions] = await Promise.all([
            storage.location(target.bucket),
            storage.permissions(target.bucket, [CREATE_OBJECTS]),
          ]);
          return bucketFindings(target, region, location, permissions, principal);
        }),
      );
      log.debug(`Preflight: Cloud Storage answered after ${since()} ms`);
      return mergeReports(...reports);
    };
    checks.push(checkBuckets());
  }
  const reports = await Promise.all(checks);
  return mergeReports(...reports, { findings: [], passed: [], skipped });
}

/** Log, annotations and the job summary; returns the findings with their file positions. */
async function publish(
  ctx: LaunchContext,
  report: PreflightReport,
  elapsedMs: number,
): Promise<LocatedFinding[]> {
  const parsed = parseQueueConfigText(ctx.queueConfig);
  const locate = (f: Finding): LocatedFinding => {
    const inConfig = /^(spec|run)[.[]/.test(f.path);
    const unlocated = ctx.queueConfig.unlocated === true;
    const pos = inConfig && !unlocated ? parsed.locate(f.path) : undefined;
    return {
      level: f.level,
      path: f.path,
      message: f.message,
      file: pos || (inConfig && unlocated) ? ctx.queueConfig.origin : undefined,
      line: pos?.line,
      column: pos?.column,
    };
  };
  const located = report.findings.map(locate);
  const errors = located.filter((f) => f.level === 'error');
  const warnings = located.filter((f) => f.level === 'warning');
  const title = `Preflight: ${errors.length} error(s), ${warnings.length} warning(s), ${report.passed.length} passed (${Math.round(elapsedMs)} ms)`;
  await group(title, async () => {
    for (const line of report.passed) log.info(`passed: ${line}`);
    for (const line of report.skipped) log.info(`skipped: ${line}`);
  });
  annotateProblems(errors, 'Preflight', 'error');
  annotateProblems(warnings, 'Preflight', 'warning');
  if (ctx.reporting.jobSummary)
    await writeJobSummary(renderPreflightMarkdown(report, located, elapsedMs));
  return located;
}
