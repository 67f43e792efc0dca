// What preflight reports: findings (an error stops the launch, a warning does not), each on
// the config key or input it is about, and the checks that passed or were skipped.

export type CheckName = 'machine' | 'region' | 'registry' | 'bucket' | 'service-account';

export interface Finding {
  check: CheckName;
  level: 'error' | 'warning';
  /** Config path (`spec.staging_bucket`) or input name (`region`). */
  path: string;
  message: string;
}

export interface PreflightReport {
  findings: Finding[];
  /** One line per check that passed, e.g. `gs://b: exists in us-central1, objects may be created`. */
  passed: string[];
  /** One line per check not made, and why. */
  skipped: string[];
}

export function mergeReports(...reports: PreflightReport[]): PreflightReport {
  return {
    findings: reports.flatMap((r) => r.findings),
    passed: reports.flatMap((r) => r.passed),
    skipped: reports.flatMap((r) => r.skipped),
  };
}

export const errorsOf = (report: PreflightReport): Finding[] =>
  report.findings.filter((f) => f.level === 'error');
export const warningsOf = (report: PreflightReport): Finding[] =>
  report.findings.filter((f) => f.level === 'warning');
