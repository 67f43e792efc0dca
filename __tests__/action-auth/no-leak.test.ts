// No secret anywhere the action prints or writes: a full WIF + impersonation run (main, then
// post) in a throwaway git workspace, with HOME and TMPDIR pointed at fresh directories so
// that every place the step could write is scanned. Secrets: every token the auth stand-ins
// issued (STS, IAM), each OIDC JWT, the OIDC request token, the github-token and a
// wandb-api-key. `::add-mask::VALUE` lines are left out of the scan: they are how a value is
// registered for masking, so they necessarily carry it (the runner never shows them).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, expect, test } from '@jest/globals';
import { REPO_ROOT, runAction } from '../helpers/action-runner.ts';
import {
  filesUnder,
  findSecrets,
  gitStatus,
  gitWorkspace,
  maskedValues,
  printed,
  type Written,
} from './scan.ts';
import { BASE_INPUTS, startCredentialedSetup, type CredentialedSetup } from './setup.ts';

let setup: CredentialedSetup | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await setup?.close();
  setup = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tempDir = (prefix: string): string => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

test('no token, JWT or key appears in the output, the files or the workspace of a run', async () => {
  setup = await startCredentialedSetup();
  const { auth, vertex } = setup;
  const wandbKey = `wandbkey${randomBytes(16).toString('hex')}`;
  const githubToken = `ghs_${randomBytes(18).toString('hex')}`;
  const workspace = gitWorkspace(REPO_ROOT, ['examples']);
  dirs.push(workspace);
  const home = tempDir('wbvl-home-');
  const tmp = tempDir('wbvl-tmp-');
  const inputs = {
    ...BASE_INPUTS,
    ...setup.authInputs,
    'wandb-project': 'octo-training',
    'wandb-api-key': wandbKey,
    'github-token': githubToken,
  };
  const env = { ...setup.env, HOME: home, TMPDIR: tmp };

  const main = await runAction({ inputs, env, workspace, timeoutMs: 40_000 });
  dirs.push(main.runnerTemp);
  expect(main.errors).toEqual([]);
  expect(main.code).toBe(0);
  const post = await runAction({
    step: 'post',
    inputs,
    env,
    workspace,
    state: main.state,
    runnerTemp: main.runnerTemp,
    timeoutMs: 40_000,
  });
  expect(post.code).toBe(0);

  const tokens = auth.allSecrets();
  expect(auth.oidc.issued.length).toBeGreaterThan(0);
  expect(auth.sts.issued.length).toBeGreaterThan(0);
  expect(auth.iam.issued.length).toBeGreaterThan(0);
  const secrets = [...tokens, wandbKey, githubToken];

  const written: Written[] = [
    ...printed(main),
    ...printed(post),
    // GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY, the request file, and anything else.
    ...filesUnder(main.runnerTemp),
    ...filesUnder(home),
    ...filesUnder(tmp),
    ...filesUnder(workspace),
    { source: 'git status', text: gitStatus(workspace) },
  ];
  expect(written.map((w) => w.source)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/output$/),
      expect.stringMatching(/state$/),
      expect.stringMatching(/step_summary$/),
      main.outputs['request-file'],
    ]),
  );
  expect(findSecrets(written, secrets)).toEqual([]);
  // The step wrote nothing into the workspace.
  expect(gitStatus(workspace)).toBe('');

  // Every one of those values was registered for masking before it could be printed.
  const masked = maskedValues(main);
  expect(secrets.filter((s) => !masked.has(s)).map((s) => s.slice(0, 14))).toEqual([]);
  // The scan looks for live values: the add-mask lines left out above do contain them.
  expect(findSecrets([{ source: 'stdout', text: main.stdout }], [wandbKey])).toHaveLength(1);

  // The W&B key reaches the job (Vertex got it) but the request file shows it as ***.
  const create = vertex.record().calls.find((c) => c.method === 'CreateCustomJob');
  expect(JSON.stringify(create?.request)).toContain(wandbKey);
  const requestFile = readFileSync(main.outputs['request-file']!, 'utf8');
  const containerEnv = (
    JSON.parse(requestFile) as {
      customJob: {
        jobSpec: {
          workerPoolSpecs: { containerSpec: { env: { name: string; value: string }[] } }[];
        };
      };
    }
  ).customJob.jobSpec.workerPoolSpecs[0]!.containerSpec.env;
  expect(containerEnv).toContainEqual({ name: 'WANDB_API_KEY', value: '***' });
}, 90_000);
