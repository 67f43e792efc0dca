// The step's outputs, written as soon as each is known (job-name before any waiting).
import { parseJobName, type JobSnapshot } from '../core/job.ts';
import { setOutput } from '../github/runtime.ts';
import type { ChosenImage } from './image.ts';

export function publishLaunchOutputs(
  requestFile: string,
  image: ChosenImage | undefined,
  wandbRunUrl: string | undefined,
): void {
  setOutput('request-file', requestFile);
  setOutput('image-uri', image?.uri);
  setOutput('image-digest', image?.digest);
  setOutput('wandb-run-url', wandbRunUrl);
}

export function publishJobOutputs(job: JobSnapshot, consoleUrl: string | undefined): void {
  setOutput('job-name', job.name);
  setOutput('job-id', job.id);
  setOutput('job-state', job.state);
  setOutput('job-url', consoleUrl);
  // Where the job runs: after a fallback, not the region the launch began in.
  setOutput('region', parseJobName(job.name)?.location);
}
