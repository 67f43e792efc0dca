// Credentials for a step of the action, by the one rule of src/cloud/connect.ts: none for a
// plaintext local endpoint with nothing to push and a known project; otherwise workload
// identity federation or Application Default Credentials.
import { cloudCredentials } from '../cloud/connect.ts';
import type { LaunchContext } from '../context.ts';
import { actionLog as log, group, setSecret } from '../github/runtime.ts';
import type { GoogleCredentials } from '../google-auth/index.ts';

export function authenticate(
  ctx: LaunchContext,
  region: string,
  project: string | undefined,
  needsBuild: boolean,
  env: NodeJS.ProcessEnv,
): Promise<GoogleCredentials | undefined> {
  return cloudCredentials(
    { ...ctx, region, project },
    { env, setSecret, log, group },
    { push: needsBuild, projectFromCredentials: true },
  );
}
