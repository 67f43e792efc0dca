// What the online checks ask (buckets, the service account) and what their answers mean.
// Pure: the adapters make the calls and hand back outcomes; this turns outcomes into findings.
// A refused check (403 on the check itself) or one that could not be made is a warning: only
// an answer that shows the launch would fail is an error.
import { bucketLocationProblem, bucketOf, type BucketLocation } from './bucket-location.ts';
import type { Finding, PreflightReport } from './findings.ts';

export const CREATE_OBJECTS = 'storage.objects.create';
export const ACT_AS = 'iam.serviceAccounts.actAs';

/** An adapter call's result; failures carry the HTTP status when there was one. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; status?: number; message: string };

/** Who the credentials are, for messages and the commands that fix a denial. */
export interface Principal {
  /** e.g. `the credentials (vertex-launcher@p.iam.gserviceaccount.com)`. */
  description: string;
  /** IAM member form, e.g. `serviceAccount:vertex-launcher@p.iam.gserviceaccount.com`. */
  member?: string;
}

export interface BucketTarget {
  bucket: string;
  path: 'spec.staging_bucket' | 'spec.base_output_dir';
  /** False for a staging bucket when the outputs go to spec.base_output_dir in another bucket. */
  usedByJob: boolean;
}

export interface ServiceAccountTarget {
  email: string;
  path: 'run.service_account';
  /** The project in the account's e-mail, else `-` (IAM then answers 403 for a missing account). */
  project: string;
}

/** The staging bucket, and the base output directory's bucket when it is another one. */
export function bucketTargets(stagingBucket?: string, baseOutputDir?: string): BucketTarget[] {
  const staging = stagingBucket ? bucketOf(stagingBucket) : undefined;
  const output = baseOutputDir ? bucketOf(baseOutputDir) : undefined;
  const targets: BucketTarget[] = [];
  if (output && output !== staging)
    targets.push({ bucket: output, path: 'spec.base_output_dir', usedByJob: true });
  if (staging)
    targets.push({
      bucket: staging,
      path: 'spec.staging_bucket',
      usedByJob: !output || output === staging,
    });
  return targets;
}

/** `name@PROJECT.iam.gserviceaccount.com` and `PROJECT@appspot.gserviceaccount.com` name their project. */
export function projectOfServiceAccount(email: string): string | undefined {
  const m =
    /^[^@]+@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/.exec(email) ??
    /^([a-z][a-z0-9-]{4,28}[a-z0-9])@appspot\.gserviceaccount\.com$/.exec(email);
  return m?.[1];
}

export function serviceAccountTarget(email: string | undefined): ServiceAccountTarget | undefined {
  if (!email) return undefined;
  return { email, path: 'run.service_account', project: projectOfServiceAccount(email) ?? '-' };
}

const member = (p: Principal) => p.member ?? 'PRINCIPAL';

function couldNot(what: string, outcome: { status?: number; message: string }): string {
  if (outcome.status === 403)
    return `could not check ${what}: the credentials may not make this check (403: ${outcome.message})`;
  return `could not check ${what}: ${outcome.status ? `${outcome.status}: ` : ''}${outcome.message}`;
}

export function bucketFindings(
  target: BucketTarget,
  region: string,
  location: Outcome<BucketLocation>,
  permissions: Outcome<string[]>,
  principal: Principal,
): PreflightReport {
  const { bucket, path } = target;
  const uri = `gs://${bucket}`;
  const findings: Finding[] = [];
  const add = (level: Finding['level'], message: string) =>
    findings.push({ check: 'bucket', level, path, message });

  const missing =
    (!location.ok && location.status === 404) || (!permissions.ok && permissions.status === 404);
  if (missing) {
    add(
      'error',
      `${uri} does not exist: create it in the job's region (\`gcloud storage buckets create ${uri} --location=${region}\`) or fix the name`,
    );
  } else {
    if (location.ok) {
      const problem = bucketLocationProblem(bucket, location.value, region);
      if (problem) add('error', problem);
    } else {
      add(
        'warning',
        `${couldNot(`where ${uri} is`, location)}. Reading a bucket's location needs storage.buckets.get; make sure it is in ${region}`,
      );
    }
    if (permissions.ok) {
      if (!permissions.value.includes(CREATE_OBJECTS))
        add(
          'error',
          `${principal.description} may not create objects in ${uri} (${CREATE_OBJECTS}): grant roles/storage.objectCreator on the bucket, e.g. \`gcloud storage buckets add-iam-policy-binding ${uri} --member=${member(principal)} --role=roles/storage.objectCreator\``,
        );
    } else {
      add('warning', couldNot(`whether ${principal.description} may write to ${uri}`, permissions));
    }
  }

  if (!target.usedByJob) {
    // spec.base_output_dir is elsewhere: the job never touches this bucket.
    for (const f of findings) {
      f.level = 'warning';
      f.message += ' (this job does not write here: spec.base_output_dir is in another bucket)';
    }
  }
  const passed =
    findings.length === 0 && location.ok && permissions.ok
      ? [
          `${uri} (${path}): in ${location.value.location.toLowerCase()}, ${principal.description} may create objects`,
        ]
      : [];
  return { findings, passed, skipped: [] };
}

export function actAsFindings(
  target: ServiceAccountTarget,
  outcome: Outcome<string[]>,
  principal: Principal,
): PreflightReport {
  const { email, path, project } = target;
  const grant =
    `grant roles/iam.serviceAccountUser on ${email} to ${principal.description}: ` +
    `\`gcloud iam service-accounts add-iam-policy-binding ${email} --member=${member(principal)} --role=roles/iam.serviceAccountUser\``;
  const report = (level: Finding['level'], message: string): PreflightReport => ({
    findings: [{ check: 'service-account', level, path, message }],
    passed: [],
    skipped: [],
  });
  if (outcome.ok) {
    if (outcome.value.includes(ACT_AS))
      return {
        findings: [],
        passed: [`${path} ${email}: ${principal.description} may act as it`],
        skipped: [],
      };
    return report(
      'error',
      `${principal.description} may not act as ${email} (${ACT_AS}), so Vertex AI would refuse the job ("You do not have permission to act as service_account"): ${grant}`,
    );
  }
  if (outcome.status === 404)
    return report(
      'error',
      `the service account ${email} does not exist in project ${project}: create it, or fix ${path}`,
    );
  if (outcome.status === 403) {
    const maybeMissing =
      project === '-' ? '; IAM answers so for an account that does not exist, too' : '';
    return report(
      'warning',
      `${couldNot(`whether ${principal.description} may act as ${email}`, outcome)}${maybeMissing}. If the job is refused, ${grant}`,
    );
  }
  return report(
    'warning',
    couldNot(`whether ${principal.description} may act as ${email}`, outcome),
  );
}
