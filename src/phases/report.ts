// Fills the report model from what the launch knows so far; every channel (summary, check
// run, PR comment) renders the same model.
import type { JobSnapshot } from '../core/job.ts';
import { consoleUrl, parseJobName } from '../core/job.ts';
import { LABEL } from '../core/launch-identity.ts';
import { wandbRunUrl } from '../core/wandb.ts';
import type { CompiledLaunch } from '../core/queue-config/compile.ts';
import { redactForReport } from '../core/redact.ts';
import type { LaunchReport } from '../core/report/index.ts';
import { loggingUrl, poolsOf } from '../core/report/index.ts';
import { capacityWaitOf } from '../core/report/attempts.ts';
import type { ChosenImage } from './image.ts';

export function baseReport(
  launch: CompiledLaunch,
  image: ChosenImage | undefined,
  dryRun: boolean,
): LaunchReport {
  // Environment entries by name only: a value may be a secret whatever its name.
  const printable = redactForReport(launch.request, launch.secrets);
  return {
    title: launch.request.customJob.displayName,
    project: launch.project,
    region: launch.region,
    pools: poolsOf(launch.request),
    imageUri: image?.uri,
    imageDigest: image?.digest,
    links: { wandb: launch.wandbRunUrl },
    requestJson: JSON.stringify(printable, null, 2),
    dryRun,
    capacityWait: capacityWaitOf(launch.request),
  };
}

export function withJob(
  report: LaunchReport,
  job: JobSnapshot,
  extra: Partial<LaunchReport> = {},
): LaunchReport {
  return {
    ...report,
    jobName: job.name,
    jobId: job.id,
    state: job.state,
    error: job.error,
    createTime: job.createTime,
    startTime: job.startTime,
    endTime: job.endTime,
    links: {
      ...report.links,
      console: consoleUrl(report.region, job.id, report.project),
      logging: loggingUrl(report.project, report.region, job.id),
    },
    ...extra,
  };
}

/** The report of a job found again (`attach`, `reconcile`): everything comes from the job itself. */
export function reportFromJob(job: JobSnapshot): LaunchReport {
  const where = parseJobName(job.name);
  const pools = poolsOf({
    parent: '',
    customJob: { displayName: '', jobSpec: job.jobSpec ?? {}, labels: {} },
  });
  const image = pools.find((p) => p.image)?.image;
  const runId = job.labels[LABEL.wandbRunId];
  return withJob(
    {
      title: job.displayName || job.id,
      project: where?.project ?? '',
      region: where?.location ?? '',
      pools,
      imageUri: image,
      imageDigest: image?.includes('@sha256:') ? image.slice(image.indexOf('@') + 1) : undefined,
      links: { wandb: job.wandb && runId ? wandbRunUrl(job.wandb, runId) : undefined },
      dryRun: false,
    },
    job,
  );
}
