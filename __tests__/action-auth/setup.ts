// The local Google side of a credentialed run: the GitHub OIDC, STS and IAM Credentials
// stand-ins, and the Vertex emulator serving TLS with a throwaway CA and accepting ONLY access
// tokens the IAM Credentials stand-in issued (each one the moment it is issued), so a run that
// sent the STS token, or no token, to Vertex fails with UNAUTHENTICATED.
import {
  DEFAULT_SERVICE_ACCOUNT,
  startAuthEmulators,
  type AuthEmulatorOptions,
  type AuthEmulators,
  type IssuedToken,
} from '../../emulators/google-auth/index.ts';
import { startLoggingEmulator, type LoggingEmulator } from '../../emulators/logging/emulator.ts';
import { startVertexEmulator, type VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { makeThrowawayTls, type ThrowawayTls } from '../helpers/tls.ts';

export const PROJECT = 'octo-project';

export interface CredentialedSetup {
  auth: AuthEmulators;
  vertex: VertexEmulator;
  /** Cloud Logging, TLS, accepting the same tokens as Vertex. */
  logging: LoggingEmulator;
  tls: ThrowawayTls;
  /** Inputs of a WIF + impersonation run against these servers (without queue-config etc.). */
  authInputs: Record<string, string>;
  /** Everything a credentialed step needs in its environment. */
  env: Record<string, string>;
  /** Requests to the OIDC, STS and IAM Credentials stand-ins so far. */
  tokenRequests(): { oidc: number; sts: number; iam: number };
  close(): Promise<void>;
}

export async function startCredentialedSetup(
  options: { auth?: AuthEmulatorOptions; tickMs?: number; scenario?: string } = {},
): Promise<CredentialedSetup> {
  const tls = makeThrowawayTls();
  const auth = await startAuthEmulators(options.auth);
  const vertex = await startVertexEmulator({
    tls: { cert: tls.cert, key: tls.key },
    requireToken: true,
    tickMs: options.tickMs ?? 100,
    scenario: options.scenario ?? 'succeed',
  });
  // Cloud Logging over TLS too, with the same tokens: the job's logs are read with them.
  const logging = await startLoggingEmulator({ tls: { cert: tls.cert, key: tls.key } });
  // The emulators keep a fixed set of accepted tokens: add each impersonated token as the IAM
  // stand-in issues it (before its reply leaves), nothing else.
  const issued = auth.iam.issued;
  const push = issued.push.bind(issued);
  issued.push = (...tokens: IssuedToken[]): number => {
    vertex.acceptTokens(...tokens.map((t) => t.token));
    logging.acceptTokens(...tokens.map((t) => t.token));
    return push(...tokens);
  };
  return {
    auth,
    vertex,
    logging,
    tls,
    authInputs: {
      'workload-identity-provider': auth.provider,
      'service-account': DEFAULT_SERVICE_ACCOUNT,
      'sts-endpoint': auth.stsEndpoint,
      'iamcredentials-endpoint': auth.iamCredentialsEndpoint,
      'vertex-endpoint': `https://${vertex.grpcAddress}`,
      'logging-endpoint': `https://${logging.grpcAddress}`,
    },
    env: {
      ...auth.githubEnv,
      GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: tls.caFile,
      WB_VERTEX_LAUNCH_TIME_SCALE: '0.01',
    },
    tokenRequests: () => ({
      oidc: auth.oidc.requests.length,
      sts: auth.sts.requests.length,
      iam: auth.iam.requests.length,
    }),
    close: async () => {
      await Promise.all([auth.close(), vertex.stop(), logging.stop()]);
      tls.cleanup();
    },
  };
}

/** The inputs every run shares: the example queue config, a prebuilt image, no check run. */
export const BASE_INPUTS: Record<string, string> = {
  'queue-config': 'examples/queue-config.yaml',
  project: PROJECT,
  region: 'us-central1',
  image: 'us-docker.pkg.dev/p/r/i:1',
  'check-run': 'false',
  // These runs count token requests and RPCs; preflight has its own tests (action-preflight).
  preflight: 'false',
};

/** The step's failure message: the `::error::` line core.setFailed wrote, unescaped. */
export function failureMessage(stdout: string): string | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith('::error::'));
  return line
    ?.slice('::error::'.length)
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%25/g, '%');
}
