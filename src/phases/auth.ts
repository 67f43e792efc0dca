// Credentials for a step: none for a plaintext local endpoint with nothing to push and a known
// project; otherwise workload identity federation or Application Default Credentials.
import type { LaunchContext } from '../context.ts';
import { actionLog as log, group, setSecret } from '../github/runtime.ts';
import { resolveCredentials, type GoogleCredentials } from '../google-auth/index.ts';
import { resolveVertexEndpoint } from '../vertex/index.ts';

export async function authenticate(
  ctx: LaunchContext,
  region: string,
  project: string | undefined,
  needsBuild: boolean,
  env: NodeJS.ProcessEnv,
): Promise<GoogleCredentials | undefined> {
  const endpoint = resolveVertexEndpoint({
    region,
    endpoint: ctx.vertexEndpoint,
    universe: ctx.auth.universe,
  });
  if (endpoint.tls || needsBuild || ctx.auth.workloadIdentityProvider || !project) {
    return group('Authenticating to Google Cloud', () =>
      resolveCredentials(ctx.auth, project, { env, setSecret, log }),
    );
  }
  return undefined;
}
