// Stand-in for the Compute Engine metadata server's token endpoint (the ADC source on Google
// Cloud runners): GET /computeMetadata/v1/instance/service-accounts/default/token with
// `Metadata-Flavor: Google`. Point GCE_METADATA_HOST at it.
import { randomBytes } from 'node:crypto';
import { startJsonServer, type RecordedRequest, type Reply, type RunningServer } from './http.ts';
import type { IssuedToken } from './sts.ts';

export interface MetadataServer extends RunningServer {
  /** For GCE_METADATA_HOST: `127.0.0.1:PORT`. */
  host: string;
  projectId: string;
  serviceAccount: string;
  issued: IssuedToken[];
  validToken(token: string): IssuedToken | undefined;
}

export async function startMetadataServer(
  projectId = 'runner-project',
  expiresInSeconds = 3600,
): Promise<MetadataServer> {
  const issued: IssuedToken[] = [];
  const serviceAccount = `runner@${projectId}.iam.gserviceaccount.com`;
  const handle = (req: RecordedRequest): Reply => {
    if (req.headers['metadata-flavor'] !== 'Google')
      return { status: 403, body: 'Missing Metadata-Flavor header' };
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/computeMetadata/v1/instance' || path === '/computeMetadata/v1/instance/')
      return { status: 200, body: {} };
    if (path === '/computeMetadata/v1/project/project-id') return { status: 200, body: projectId };
    if (path === '/computeMetadata/v1/instance/service-accounts/default/token') {
      const token = `ya29.gce.${randomBytes(24).toString('base64url')}`;
      issued.push({
        token,
        kind: 'sts',
        expiresAt: Date.now() + expiresInSeconds * 1000,
        principal: serviceAccount,
      });
      return {
        status: 200,
        body: { access_token: token, expires_in: expiresInSeconds, token_type: 'Bearer' },
      };
    }
    return { status: 404, body: 'Not Found' };
  };
  const server = await startJsonServer(handle, 0, { 'metadata-flavor': 'Google' });
  return {
    ...server,
    host: server.url.replace('http://', ''),
    projectId,
    serviceAccount,
    issued,
    validToken: (token) => issued.find((t) => t.token === token && t.expiresAt > Date.now()),
  };
}
