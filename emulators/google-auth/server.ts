// Runs the GitHub OIDC, Google STS and IAM Credentials stand-ins until interrupted:
//   npx node emulators/google-auth/server.ts [--provider projects/N/locations/global/workloadIdentityPools/P/providers/Q]
//     [--sts-expires-in SECONDS] [--iam-lifetime SECONDS]
// Prints one JSON line with the URLs and the environment/inputs to point the action at them.
import { parseArgs } from 'node:util';
import { serveUntilSignal } from '../shared/cli.ts';
import { DEFAULT_SERVICE_ACCOUNT, startAuthEmulators } from './index.ts';

const { values } = parseArgs({
  options: {
    provider: { type: 'string' },
    'sts-expires-in': { type: 'string' },
    'iam-lifetime': { type: 'string' },
  },
});

const num = (v: string | undefined): number | undefined =>
  v === undefined ? undefined : Number(v);

const emulators = await startAuthEmulators({
  provider: values.provider,
  stsExpiresInSeconds: num(values['sts-expires-in']),
  iamLifetimeSeconds: num(values['iam-lifetime']),
});

// The request token is a throwaway value for local use only.
serveUntilSignal(
  {
    oidc: emulators.oidc.url,
    sts: emulators.sts.url,
    iamcredentials: emulators.iam.url,
    metadata: emulators.metadata.url,
    env: emulators.githubEnv,
    inputs: {
      'workload-identity-provider': emulators.provider,
      'service-account': DEFAULT_SERVICE_ACCOUNT,
      'sts-endpoint': emulators.stsEndpoint,
      'iamcredentials-endpoint': emulators.iamCredentialsEndpoint,
    },
  },
  () => emulators.close(),
);
