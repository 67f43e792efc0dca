// The job summary of a reconcile: what was listed, and each job whose reports it completed.
import { code, link, table, text } from './format.ts';
import type { LaunchReport } from './model.ts';
import { headline } from './outcome.ts';

export interface ReconciledRow {
  report: LaunchReport;
  pr?: number;
  /** `https://github.com/OWNER/REPO`, for PR links. */
  repositoryUrl?: string;
}

export function renderReconcileSummary(
  rows: ReconciledRow[],
  stats: {
    listed: number;
    followedToEnd: number;
    handledBefore: number;
    candidates: number;
    where: string;
  },
): string {
  const lines = [
    '### Vertex AI jobs reconciled',
    `${stats.listed} ended launch${stats.listed === 1 ? '' : 'es'} of this repository in ${code(stats.where)} ` +
      `(last 14 days): ${stats.followedToEnd} followed to the end by their own step, ` +
      `${stats.handledBefore} handled by an earlier reconcile, ${stats.candidates} looked up; ` +
      `**${rows.length} completed now**.`,
  ];
  if (rows.length > 0) {
    lines.push(
      table(
        ['Job', 'Result', 'Pull request'],
        rows.map(({ report, pr, repositoryUrl }) => [
          report.jobId
            ? link(report.title || report.jobId, report.links.console)
            : text(report.title),
          text(headline(report)),
          pr === undefined
            ? '—'
            : repositoryUrl
              ? link(`#${pr}`, `${repositoryUrl}/pull/${pr}`)
              : `#${pr}`,
        ]),
      ),
    );
  }
  return lines.join('\n\n') + '\n';
}
