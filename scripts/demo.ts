// `npm run demo`: the action as GitHub runs it, against the local Vertex and Cloud Logging
// emulators. Starts them, runs dist/main/index.js with INPUT_* variables and GITHUB_OUTPUT,
// GITHUB_STATE and GITHUB_STEP_SUMMARY files in a temp dir, on examples/queue-config.yaml with a
// prebuilt image and plaintext endpoints; streams the step's log (the job's training output
// included), then prints the outputs and the job summary. Exits with the step's exit code.
//
//   npx node scripts/demo.ts [--scenario succeed|fail|expired|...] [--tick-ms 1000]
//     [--logs train|crash|none]   (default: crash for --scenario fail, else train)
// Bundles from env WBVL_DIST (default dist).
import { parseArgs } from 'node:util';
import { startStorageEmulator } from '../emulators/storage/emulator.ts';
import { startLoggingEmulator } from '../emulators/logging/emulator.ts';
import { namedScript, SCRIPT_NAMES } from '../emulators/logging/scripts.ts';
import { startVertexEmulator } from '../emulators/vertex/emulator.ts';
import { startWandbForVertex } from '../emulators/wandb/for-vertex.ts';
import { SCENARIO_NAMES } from '../emulators/vertex/scenarios.ts';
import { bundlePath, distDir, runAction } from '../__tests__/helpers/action-runner.ts';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'succeed' },
    'tick-ms': { type: 'string', default: '1000' },
    logs: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help) {
  console.log(
    `usage: demo.ts [--scenario NAME] [--tick-ms N] [--logs SCRIPT]\nscenarios: ${SCENARIO_NAMES.join(', ')}\nlog scripts: ${SCRIPT_NAMES.join(', ')}`,
  );
  process.exit(0);
}
const tickMs = Number(values['tick-ms']);
const started = Date.now();
const clock = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s`;
const say = (line: string) => process.stdout.write(`${line}\n`);

/** A workflow-command line as the Actions log shows it (commands the runner consumes vanish). */
function shown(line: string): string | undefined {
  if (/^::(add-mask|debug)::/.test(line) || line === '::endgroup::') return undefined;
  // Workflow commands off and on again around the job's own output.
  if (/^::stop-commands::/.test(line) || /^::[0-9a-f-]{36}::$/.test(line)) return undefined;
  const group = /^::group::(.*)$/.exec(line);
  if (group) return `▸ ${group[1]}`;
  const annotation = /^::(error|warning|notice)( [^:]*)?::(.*)$/.exec(line);
  if (annotation) {
    const [, kind, props, message] = annotation;
    return `${kind === 'error' ? 'Error' : kind === 'warning' ? 'Warning' : 'Notice'}${props ? ` (${props.trim()})` : ''}: ${message.replace(/%0A/g, '\n        ')}`;
  }
  return line;
}

function lineStream(): (chunk: string) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const text = shown(line);
      if (text !== undefined) say(`  ${clock()} | ${text}`);
    }
  };
}

const main = bundlePath('main', distDir());
const emulator = await startVertexEmulator({ tickMs, scenario: values.scenario });
// Preflight checks the example's staging bucket here.
const storage = await startStorageEmulator({ buckets: { 'my-staging-bucket': {} } });
// What the job prints: bound to the job when the action first reads its logs.
const logScript = values.logs ?? (values.scenario === 'fail' ? 'crash' : 'train');
const logging = await startLoggingEmulator();
logging.queueScripts(namedScript(logScript, tickMs));
// W&B: the job's run (made up once the job exists) and a baseline run to compare it with.
const { wandb, inputs: wandbInputs } = await startWandbForVertex(emulator, {
  entity: 'my-team',
  project: 'demo',
});
let code: number | undefined;
try {
  say(
    `Vertex AI emulator on ${emulator.grpcAddress} (scenario ${values.scenario}, ${tickMs} ms per step)`,
  );
  say(`Cloud Logging emulator on ${logging.grpcAddress} (log script ${logScript})`);
  say(`Running ${main} as GitHub does (node24, INPUT_* variables, file commands in a temp dir)\n`);
  const inputs = {
    'queue-config': 'examples/queue-config.yaml',
    project: 'my-proj-1',
    region: 'us-central1',
    image: 'us-docker.pkg.dev/my-proj-1/training/trainer:1.4.0',
    'vertex-endpoint': `http://${emulator.grpcAddress}`,
    'storage-endpoint': storage.url,
    'logging-endpoint': `http://${logging.grpcAddress}`,
    'wandb-project': 'demo',
    'wandb-entity': 'my-team',
    'check-run': 'false',
    ...wandbInputs,
  };
  for (const [k, v] of Object.entries(inputs)) say(`  with ${k}: ${/key/.test(k) ? '***' : v}`);
  say('');
  const result = await runAction({
    inputs,
    // Polls at a tenth of the real pace, so state changes show within a second.
    env: { WB_VERTEX_LAUNCH_TIME_SCALE: String(Math.min(1, tickMs / 10_000)) },
    echo: lineStream(),
    timeoutMs: 120_000,
  });
  code = result.code ?? 1;
  const record = emulator.record();
  say(
    `\nThe step exited with ${result.code ?? result.signal} after ${(result.elapsedMs / 1000).toFixed(1)} s.`,
  );
  say(
    `The emulator saw ${record.calls.length} RPCs (${[...new Set(record.calls.map((c) => c.method))].join(', ')}) and created ${record.jobsCreated} job(s).`,
  );
  say(`Cloud Logging saw ${logging.calls().length} ListLogEntries calls.`);
  say('\nOutputs (GITHUB_OUTPUT):');
  const width = Math.max(...Object.keys(result.outputs).map((k) => k.length));
  for (const [k, v] of Object.entries(result.outputs)) say(`  ${k.padEnd(width)}  ${v}`);
  say('\nJob summary (GITHUB_STEP_SUMMARY):\n');
  say(result.summary.trim() || '(empty)');
} finally {
  await Promise.all([emulator.stop(), storage.close(), logging.stop(), wandb.close()]);
}
process.exit(code ?? 1);
