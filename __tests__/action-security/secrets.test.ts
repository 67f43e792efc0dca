// Reports (check run, job summary, PR comment) never show a value that may be a secret:
// environment entries appear by name only, whatever the name, and any value the step masked is
// gone from every report string, even when a failing job's own error message quotes it. And the
// W&B key can stay out of the job spec entirely (wandb-api-key-secret). The bundled action on a
// pull request, with the GitHub stand-in recording every call.
import { randomBytes } from 'node:crypto';
import type { ActionResult } from '../helpers/action-runner.ts';
import { useReportingWorld } from '../action-reporting/setup.ts';

const world = useReportingWorld();

const WANDB_KEY = `wbkey${randomBytes(18).toString('hex')}`;
const PASSWD = `pw-${randomBytes(8).toString('hex')}`;

/** What GitHub shows: every check run and comment body sent, and the job summary. */
function reports(result: ActionResult): string {
  const bodies = world.github.requests
    .filter((r) => r.route && /CheckRun|Comment/.test(r.route))
    .map((r) => JSON.stringify(r.body));
  return [...bodies, result.summary].join('\n');
}

function createdEnv(): Array<{ name: string; value: string }> {
  const create = world.vertex.record().calls.find((c) => c.method === 'CreateCustomJob');
  const job = create?.request.customJob as {
    jobSpec: { workerPoolSpecs: Array<{ containerSpec: { env?: [] } }> };
  };
  return job.jobSpec.workerPoolSpecs[0].containerSpec.env ?? [];
}

test('env DATA_PASSWD and the W&B key: names in the reports, never values; a masked value quoted by the job error is cut out', async () => {
  world.vertex.queueScenarios(`fail:wandb: ERROR api_key ${WANDB_KEY} not valid for this entity`);
  const result = await world.launch({
    env: `DATA_PASSWD=${PASSWD}\nEPOCHS=3`,
    'wandb-api-key': WANDB_KEY,
    'pr-comment': 'true',
  });
  expect(result.code).toBe(1);
  // The job did get both (the job spec is where Vertex reads them).
  expect(createdEnv()).toEqual(
    expect.arrayContaining([
      { name: 'DATA_PASSWD', value: PASSWD },
      { name: 'WANDB_API_KEY', value: WANDB_KEY },
    ]),
  );
  const shown = reports(result);
  const checkRunText = world.github.requests
    .filter((r) => r.route === 'updateCheckRun' || r.route === 'createCheckRun')
    .map((r) => JSON.stringify(r.body))
    .join('\n');
  expect(checkRunText).toContain('DATA_PASSWD');
  expect(result.summary).toContain('DATA_PASSWD');
  expect(result.summary).toContain('not valid for this entity');
  expect(world.github.requests.some((r) => r.route === 'createComment')).toBe(true);
  for (const value of [PASSWD, WANDB_KEY]) expect(shown).not.toContain(value);
  // The log itself carries it only behind ::add-mask:: (the runner masks it there).
  expect(result.stdout).toContain(`::add-mask::${WANDB_KEY}`);
}, 30_000);

test('wandb-api-key-secret: the job spec names the Secret Manager version, never the key', async () => {
  const result = await world.launch({
    'wandb-api-key': WANDB_KEY,
    'wandb-api-key-secret': 'projects/my-proj-1/secrets/wandb-key',
  });
  expect(result.errors).toEqual([]);
  expect(result.code).toBe(0);
  const create = world.vertex.record().calls.find((c) => c.method === 'CreateCustomJob');
  expect(JSON.stringify(create?.request)).not.toContain(WANDB_KEY);
  const env = createdEnv();
  expect(env).toContainEqual({
    name: 'WANDB_API_KEY_SECRET',
    value: 'projects/my-proj-1/secrets/wandb-key/versions/latest',
  });
  expect(env.map((e) => e.name)).not.toContain('WANDB_API_KEY');
}, 30_000);

test('a wandb-api-key-secret that is not a secret version is a located input error, before any call', async () => {
  const result = await world.launch({ 'wandb-api-key-secret': 'wandb-key' });
  expect(result.code).toBe(1);
  expect(result.errors[0]).toContain('wandb-api-key-secret: "wandb-key" is not a Secret Manager');
  expect(world.vertex.record().calls).toEqual([]);
  expect(world.github.requests.filter((r) => r.route?.startsWith('create'))).toEqual([]);
}, 30_000);

test('a quoted input is cut short in the error, with an ellipsis', async () => {
  const long = `${'x'.repeat(200)}-tail`;
  const result = await world.launch({ 'wait-timeout': long });
  expect(result.code).toBe(1);
  expect(result.errors[0]).toContain(`wait-timeout: "${'x'.repeat(80)}…" is not a duration`);
  expect(result.errors[0]).not.toContain('-tail');
}, 30_000);
