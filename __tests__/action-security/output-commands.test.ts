// The bundled action against the stand-ins, with a hostile job: its Vertex error message, its
// Cloud Logging lines and its W&B run's names and values carry every workflow-command form.
// Judged by the runner-rules parser, none of it sets state, an output, a mask or an
// annotation, none silences the action's own commands, and a victim job stays running after
// the post step runs with the state the runner would hand it.
import { startLoggingEmulator, type LoggingEmulator } from '../../emulators/logging/emulator.ts';
import { startVertexEmulator, type VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { startWandbEmulator, type WandbEmulator } from '../../emulators/wandb/emulator.ts';
import { runAction, type ActionResult } from '../helpers/action-runner.ts';
import { readAsRunner } from '../helpers/runner-commands.ts';
import { hostileEffects, hostileLines, MARKER } from './hostile.ts';
import { launchInputs } from '../action/fixture.ts';
import { cancelCalls, jobState, runPostAfter, seedVictim } from './setup.ts';

const WANDB_KEY = 'local-0123456789abcdef0123456789abcdef01234567';
const WANDB = { entity: 'octo-team', project: 'vertex-runs' };
const ENV = { WB_VERTEX_LAUNCH_TIME_SCALE: '0.01' };

let vertex: VertexEmulator;
let logging: LoggingEmulator;
let wandb: WandbEmulator;
let victim: string;
let hostileRun = false;

beforeAll(async () => {
  vertex = await startVertexEmulator({ tickMs: 250 });
  logging = await startLoggingEmulator();
  wandb = await startWandbEmulator({
    apiKeys: [WANDB_KEY],
    defaultEntity: WANDB.entity,
    resolveRun: () => (hostileRun ? hostileWandbRun() : undefined),
  });
});
afterAll(async () => {
  await Promise.all([vertex?.stop(), logging?.stop(), wandb?.close()]);
});
beforeEach(() => {
  vertex.reset();
  logging.reset();
  wandb.reset();
  hostileRun = false;
  victim = seedVictim(vertex);
});

const inputs = (extra: Record<string, string> = {}) =>
  launchInputs(vertex, {
    'logging-endpoint': `http://${logging.grpcAddress}`,
    'pr-comment': 'false',
    ...extra,
  });

/** A run whose metric names, values, name and config are the hostile lines. */
function hostileWandbRun() {
  const lines = hostileLines(victim);
  const summary: Record<string, unknown> = {};
  lines.forEach((line, i) => {
    summary[line] = i + 0.5;
    summary[`text_${i}`] = line;
  });
  return {
    state: 'finished',
    displayName: lines.join('\n'),
    summary,
    history: [{ _step: 0, ...summary }],
    config: { note: lines.join('\r') },
  };
}

/** The launch, then its post step with the runner's real state; the victim must be untouched. */
async function launchAndPost(extra: Record<string, string> = {}): Promise<ActionResult> {
  const main = await runAction({ inputs: inputs(extra), env: ENV, timeoutMs: 40_000 });
  const post = await runPostAfter(main, { inputs: inputs(extra), env: ENV });
  expect(post.code).toBe(0);
  expect(hostileEffects(readAsRunner(post.stdout), victim)).toEqual([]);
  expect(cancelCalls(vertex)).toEqual([]);
  expect(jobState(vertex, victim)).toBe('JOB_STATE_RUNNING');
  return main;
}

test('a hostile Vertex error message: printed, quoted in the failure, and it commands nothing', async () => {
  vertex.queueScenarios(`fail-message:${hostileLines(victim).join('\n')}`);
  const main = await launchAndPost();
  expect(main.code).toBe(1);
  const view = readAsRunner(main.stdout);
  expect(hostileEffects(view, victim)).toEqual([]);
  // The text is in the log (a reviewer sees what the job said) ...
  expect(main.stdout).toContain(`::set-output name=job-name::${MARKER}-output`);
  // ... and the step's own failure still became its annotation, without hostile properties.
  const errors = view.annotations.filter((a) => a.level === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0].properties).toEqual({});
  expect(errors[0].message).toMatch(/^wb-vertex-launch: /);
  // Quoted in it, the legacy form is defused too: the runner logs the message line by line.
  expect(errors[0].message).toContain(`##[\\add-mask]${MARKER}-legacy-mask`);
  expect(main.outputs['job-state']).toBe('JOB_STATE_FAILED');
  expect(main.outputs['job-name']).toMatch(
    /^projects\/my-proj-1\/locations\/us-central1\/customJobs\/\d+$/,
  );
  // Control: the same error text printed raw would have set the state that cancels the victim.
  expect(readAsRunner(hostileLines(victim).join('\n')).state['job-name']).toBe(victim);
}, 60_000);

test('hostile Cloud Logging lines (text, JSON, CR and LF inside one entry) command nothing', async () => {
  const lines = hostileLines(victim);
  logging.queueScripts({
    lateMs: 10,
    entries: [
      ...lines.map((text, i) => ({ at: 40 + i, replica: null, text })),
      { at: 80, replica: 'workerpool0-0', text: lines.join('\n') },
      { at: 81, replica: 'workerpool0-0', text: lines.join('\r'), json: true },
      { at: 82, replica: 'workerpool0-0', text: lines.join('\r\n'), stream: 'stderr' as const },
    ],
  });
  const main = await launchAndPost();
  expect(main.code).toBe(0);
  expect(main.stdout).toContain(`##[\\add-mask]${MARKER}-legacy-mask`);
  const view = readAsRunner(main.stdout);
  expect(hostileEffects(view, victim)).toEqual([]);
  expect(view.annotations.filter((a) => a.level === 'error')).toEqual([]);
  expect(main.outputs['job-state']).toBe('JOB_STATE_SUCCEEDED');
  expect(logging.calls().length).toBeGreaterThan(0);
}, 60_000);

test("a hostile W&B run's metric names, values and name command nothing", async () => {
  hostileRun = true;
  const main = await launchAndPost({
    'wandb-api-key': WANDB_KEY,
    'wandb-base-url': wandb.url,
    'wandb-project': WANDB.project,
    'wandb-entity': WANDB.entity,
  });
  expect(main.code).toBe(0);
  expect(hostileEffects(readAsRunner(main.stdout), victim)).toEqual([]);
  // The run was read: its summary is the output, whole, with the hostile names as keys.
  expect(wandb.requests.length).toBeGreaterThan(0);
  const summary = JSON.parse(main.outputs['wandb-summary']) as Record<string, unknown>;
  expect(summary[`::set-output name=job-name::${MARKER}-output`]).toBeDefined();
}, 60_000);
