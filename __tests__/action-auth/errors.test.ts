// Authentication failures through the bundled action: the step fails in phase `auth` with a
// message that says what to do, no Vertex RPC is made, and no token shows up anywhere.
import { afterEach, describe, expect, test } from '@jest/globals';
import { runAction } from '../helpers/action-runner.ts';
import { findSecrets, filesUnder, printed } from './scan.ts';
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

interface Case {
  name: string;
  /** Breaks one thing in the otherwise working setup; returns input and env changes. */
  arrange(s: CredentialedSetup): { inputs?: Record<string, string>; dropEnv?: string[] };
  /** Fragments the failure message must contain, in order. */
  message: (string | RegExp)[];
  /** Token requests made before the failure. */
  requests: { oidc: number; sts: number; iam: number };
}

const cases: Case[] = [
  {
    name: 'no ACTIONS_ID_TOKEN_REQUEST_* (the job lacks `id-token: write`)',
    arrange: () => ({
      dropEnv: ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'],
    }),
    message: [
      'No GitHub OIDC token available',
      'ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set',
      '`permissions: id-token: write`',
    ],
    requests: { oidc: 0, sts: 0, iam: 0 },
  },
  {
    name: 'a malformed provider name (project ID instead of number)',
    arrange: () => ({
      inputs: {
        'workload-identity-provider':
          'projects/octo-project/locations/global/workloadIdentityPools/github/providers/octo-repo',
      },
    }),
    message: [
      'Invalid workload-identity-provider "projects/octo-project/',
      'expected projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER',
      'use the project NUMBER, not the project ID "octo-project"',
      'workload-identity-provider: expected',
    ],
    requests: { oidc: 0, sts: 0, iam: 0 },
  },
  {
    name: "STS rejects the token (the provider's attribute condition)",
    arrange: (s) => {
      s.auth.sts.attributeCondition = (claims) => claims.repository === 'octo-org/other-repo';
      return {};
    },
    message: [
      'Google STS rejected the GitHub OIDC token for provider projects/123456789012/',
      'unauthorized_client',
      'attribute condition does not accept this workflow (repository=octo-org/octo-repo, ref=refs/heads/main',
      "assertion.repository == 'OWNER/REPO'",
    ],
    requests: { oidc: 1, sts: 1, iam: 0 },
  },
  {
    name: 'impersonation denied (no Workload Identity User binding)',
    arrange: (s) => {
      s.auth.iam.deny = true;
      return {};
    },
    message: [
      'Permission denied impersonating service account vertex-launcher@octo-project.iam.gserviceaccount.com',
      'roles/iam.workloadIdentityUser',
      'gcloud iam service-accounts add-iam-policy-binding vertex-launcher@octo-project.iam.gserviceaccount.com',
      '--member=principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/github/attribute.repository/octo-org/octo-repo',
    ],
    requests: { oidc: 1, sts: 1, iam: 1 },
  },
];

describe('authentication failures through the bundle', () => {
  test.each(cases)(
    '$name',
    async (c) => {
      setup = await startCredentialedSetup();
      const change = c.arrange(setup);
      const env = { ...setup.env };
      for (const name of change.dropEnv ?? []) delete env[name];
      const result = await runAction({
        inputs: { ...BASE_INPUTS, ...setup.authInputs, ...change.inputs },
        env,
        timeoutMs: 40_000,
      });
      expect(result.code).toBe(1);
      const message = failureMessage(result.stdout);
      expect(message).toMatch(/^wb-vertex-launch: auth: /);
      let rest = message!;
      for (const fragment of c.message) {
        const at = typeof fragment === 'string' ? rest.indexOf(fragment) : rest.search(fragment);
        if (at < 0)
          throw new Error(`missing ${String(fragment)} in the failure message:\n${message}`);
        rest = rest.slice(at);
      }
      expect(result.stdout).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
      expect(setup.vertex.record().calls).toEqual([]);
      expect(setup.tokenRequests()).toEqual(c.requests);
      expect(result.outputs['job-name']).toBeUndefined();
      const texts = [...printed(result), ...filesUnder(result.runnerTemp)];
      expect(findSecrets(texts, setup.auth.allSecrets())).toEqual([]);
    },
    60_000,
  );
});
