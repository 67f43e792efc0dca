// Shared pieces of the bundled-action fallback tests: a GPU queue config whose staging bucket
// follows the region, and readers for the Creates the emulator saw, in order.
import type { EmulatorRecord, VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { calls, launchInputs } from '../action/fixture.ts';

export const GPU = 'NVIDIA_TESLA_T4';

/** One T4 pool; `{region}` in the bucket stands for each attempt's region. */
export const GPU_CONFIG = [
  'spec:',
  '  worker_pool_specs:',
  '    - machine_spec:',
  '        machine_type: n1-standard-8',
  `        accelerator_type: ${GPU}`,
  '        accelerator_count: 1',
  '      replica_count: 1',
  '      container_spec:',
  '        image_uri: ${image_uri}',
  '  staging_bucket: gs://staging-{region}',
  'run:',
  '  restart_job_on_worker_restart: false',
  '',
].join('\n');

export function gpuInputs(
  emulator: VertexEmulator,
  extra: Record<string, string> = {},
): Record<string, string> {
  return launchInputs(emulator, { 'queue-config': GPU_CONFIG, ...extra });
}

export interface SeenCreate {
  region: string;
  labels: Record<string, string>;
  displayName: string;
  outputUriPrefix?: string;
  code: number;
}

/** Every CreateCustomJob the emulator answered, in order. */
export function creates(record: EmulatorRecord): SeenCreate[] {
  return calls(record, 'CreateCustomJob').map((c) => {
    const job = c.request.customJob as {
      labels?: Record<string, string>;
      displayName: string;
      jobSpec?: { baseOutputDirectory?: { outputUriPrefix?: string } };
    };
    return {
      region: String(c.request.parent).split('/')[3],
      labels: job.labels ?? {},
      displayName: job.displayName,
      outputUriPrefix: job.jobSpec?.baseOutputDirectory?.outputUriPrefix,
      code: c.code,
    };
  });
}

/** The rows of the attempts table in a rendered report: `[attempt, region, outcome]`. */
export function attemptRows(markdown: string): string[][] {
  const start = markdown.indexOf('**Regions tried**');
  if (start < 0) return [];
  const table = markdown.slice(start).split('\n\n')[1] ?? '';
  return table
    .split('\n')
    .filter((l) => /^\| \d+ \|/.test(l))
    .map((l) => {
      const cells = l.split(' | ').map((c) => c.replace(/^\| |\|$/g, '').trim());
      return [cells[0], cells[1].replace(/<\/?code>/g, ''), cells[3]];
    });
}
