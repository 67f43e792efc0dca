// One launch's report as it goes: every channel (check run, PR comment, job summary) sees the
// same model, and whatever ends the step, success or a failure in any phase, completes it once.
import type { JobSnapshot } from '../core/job.ts';
import { isTerminal } from '../core/job.ts';
import { renderSummaryMarkdown } from '../core/report/index.ts';
import { capacityWaitNote } from '../core/report/attempts.ts';
import type { LaunchReport } from '../core/report/index.ts';
import { redactSecrets } from '../core/redact.ts';
import { actionLog as log, maskedValues, writeJobSummary } from '../github/runtime.ts';
import type { Reporter } from '../reporting/index.ts';
import { withJob } from './report.ts';

export class LaunchProgress {
  report: LaunchReport;
  private readonly reporter: Reporter;
  private readonly jobSummary: boolean;
  private completed = false;

  constructor(reporter: Reporter, report: LaunchReport, jobSummary: boolean) {
    this.reporter = reporter;
    this.report = report;
    this.jobSummary = jobSummary;
  }

  update(patch: Partial<LaunchReport>): void {
    this.report = { ...this.report, ...patch };
  }

  /** What the check run and comment get: no value the log masks (GitHub masks neither). */
  private get shown(): LaunchReport {
    return redactSecrets(this.report, maskedValues());
  }

  /** The check run, opened before the submit; its id, when there is one. */
  opening(): Promise<number | undefined> {
    return this.reporter.opening(this.shown);
  }

  async submitted(job: JobSnapshot, waiting: boolean): Promise<void> {
    this.report = withJob(this.report, job, { waiting });
    await this.reporter.submitted(this.shown);
  }

  /** A state change while following; the terminal one is left to `finish`, sent once. */
  async stateChanged(job: JobSnapshot): Promise<void> {
    this.report = withJob(this.report, job, { waiting: true });
    // A FLEX_START job waiting for capacity: say so, with the time it may still wait.
    const waiting = capacityWaitNote(this.report, new Date());
    if (waiting) log.info(waiting.replace(/^> /, ''));
    if (!isTerminal(job.state)) await this.reporter.stateChanged(this.shown);
  }

  async finish(job: JobSnapshot | undefined, extra: Partial<LaunchReport>): Promise<void> {
    this.report = job
      ? withJob(this.report, job, { waiting: false, ...extra })
      : { ...this.report, waiting: false, ...extra };
    this.completed = true;
    if (this.jobSummary) await writeJobSummary(renderSummaryMarkdown(this.report));
    await this.reporter.finished(this.shown);
  }

  /** A phase failed before the report was completed: complete it as a failure with the reason. */
  async failed(message: string): Promise<void> {
    if (this.completed) return;
    await this.finish(undefined, { outcome: 'failure', error: this.report.error ?? { message } });
  }
}
