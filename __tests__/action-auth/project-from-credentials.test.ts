// Without a `project` input or spec.project, the job goes to the project the credentials name:
// here the impersonated service account's (NAME@PROJECT.iam.gserviceaccount.com).
import { afterEach, expect, test } from '@jest/globals';
import { DEFAULT_SERVICE_ACCOUNT } from '../../emulators/google-auth/index.ts';
import { runAction } from '../helpers/action-runner.ts';
import {
  BASE_INPUTS,
  failureMessage,
  startCredentialedSetup,
  type CredentialedSetup,
} from './setup.ts';

let setup: CredentialedSetup | undefined;
afterEach(async () => {
  await setup?.close();
  setup = undefined;
});

const withoutProject = Object.fromEntries(
  Object.entries(BASE_INPUTS).filter(([k]) => k !== 'project'),
);
const saProject = DEFAULT_SERVICE_ACCOUNT.split('@')[1]!.split('.')[0]!;

test('the project comes from the service account when no input or spec.project names one', async () => {
  setup = await startCredentialedSetup();
  const result = await runAction({
    inputs: { ...withoutProject, ...setup.authInputs },
    env: setup.env,
    timeoutMs: 40_000,
  });
  expect(failureMessage(result.stdout)).toBeUndefined();
  expect(result.code).toBe(0);
  expect(result.outputs['job-name']).toMatch(
    new RegExp(`^projects/${saProject}/locations/us-central1/customJobs/\\d+$`),
  );
  const create = setup.vertex.record().calls.find((c) => c.method === 'CreateCustomJob');
  expect((create?.request as { parent?: string }).parent).toBe(
    `projects/${saProject}/locations/us-central1`,
  );
}, 60_000);

test('a dry run without any project says which input to set', async () => {
  const result = await runAction({
    inputs: { ...withoutProject, 'dry-run': 'true' },
    timeoutMs: 30_000,
  });
  expect(result.code).toBe(1);
  expect(failureMessage(result.stdout)).toMatch(
    /queue-config: .*project: required: set the project input/s,
  );
}, 40_000);
