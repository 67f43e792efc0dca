// Where the job goes (project and region) and the SDK's defaults that depend on the run:
// the display name and the timestamped base output directory.
import type { PathProblem } from './convert.ts';
import type { GitHubRunInfo } from './template-values.ts';
import { quoted } from '../quote.ts';
import { describeValue } from './convert.ts';

export const MAX_DISPLAY_NAME = 128;
const PROJECT_ID = /^([a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const REGION = /^([a-z]+(-[a-z]+)+[0-9]+|global)$/;

export function checkTarget(
  spec: Record<string, unknown>,
  inputs: { project?: string; region?: string },
  out: PathProblem[],
): { project: string; region: string } {
  // spec.project and spec.location are the SDK constructor's arguments: they win over the inputs.
  const pick = (
    key: 'project' | 'location',
    input: string | undefined,
    inputName: string,
    pattern: RegExp,
    example: string,
  ) => {
    const fromSpec = spec[key];
    const value = typeof fromSpec === 'string' && fromSpec ? fromSpec : input;
    const path = typeof fromSpec === 'string' && fromSpec ? `spec.${key}` : inputName;
    if (fromSpec !== undefined && typeof fromSpec !== 'string') {
      out.push({
        path: `spec.${key}`,
        message: `expected a string, got ${describeValue(fromSpec)}`,
      });
    } else if (!value) {
      out.push({
        path: inputName,
        message: `required: set the ${inputName} input (or spec.${key}), e.g. ${example}`,
      });
    } else if (!pattern.test(value)) {
      out.push({
        path,
        message: `${quoted(value)} is not a valid ${key === 'project' ? 'project id' : 'Vertex region'}, e.g. ${example}`,
      });
    }
    return value ?? '';
  };
  return {
    project: pick('project', inputs.project, 'project', PROJECT_ID, 'my-project-123'),
    region: pick('location', inputs.region, 'region', REGION, 'us-central1'),
  };
}

/** `owner/repo workflow #run_number (leg)`, or a timestamped name outside GitHub. */
export function defaultDisplayName(github: GitHubRunInfo, now: Date, leg?: string): string {
  if (github.repository) {
    const parts = [
      github.repository,
      github.workflow,
      github.runNumber ? `#${github.runNumber}` : undefined,
      leg ? `(${leg})` : undefined,
    ];
    return parts.filter(Boolean).join(' ').slice(0, MAX_DISPLAY_NAME);
  }
  return `wb-vertex-launch-${now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`;
}

/** The SDK's default: gs://BUCKET/aiplatform-custom-job-YYYY-MM-DD-HH:MM:SS.mmm (UTC). */
export function defaultBaseOutputDir(bucket: string, now: Date): string {
  const root = bucket.replace(/\/+$/, '');
  const stamp = now.toISOString().replace('T', '-').replace('Z', '');
  const dir = `${root}/aiplatform-custom-job-${stamp}`;
  return dir.startsWith('gs://') ? dir : `gs://${dir}`;
}
