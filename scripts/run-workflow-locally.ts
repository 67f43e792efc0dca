// Runs a job of a workflow on this machine through the same commands GitHub runs (see
// local-workflow/run.ts for what stands in for what):
//   node scripts/run-workflow-locally.ts .github/workflows/self-test.yml [JOB]
// Exits 0 when the job succeeds, 1 when it fails.
import { runJob } from './local-workflow/run.ts';

const [file, job] = process.argv.slice(2);
if (!file) {
  console.error('usage: run-workflow-locally.ts WORKFLOW_FILE [JOB]');
  process.exit(2);
}
try {
  const result = await runJob(file, job);
  console.log(`\n${result.lines.join('\n')}\n\nJob ${result.ok ? 'succeeded' : 'failed'}.`);
  process.exit(result.ok ? 0 : 1);
} catch (e) {
  console.error(`local run: ${(e as Error).message}`);
  process.exit(2);
}
