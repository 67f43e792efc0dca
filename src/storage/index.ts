// The Cloud Storage adapter: bucket metadata (where a bucket is) and testIamPermissions on a
// bucket, through the real @google-cloud/storage client. Loaded on first use, so a run without
// preflight never pays for the library. No call throws: each returns an Outcome.
import type { AuthClient } from 'google-auth-library';
import { resolveHttpEndpoint, type HttpEndpoint } from '../core/http-endpoint.ts';
import type { BucketLocation } from '../core/preflight/bucket-location.ts';
import type { Outcome } from '../core/preflight/online.ts';

export interface StorageSettings {
  /** The `storage-endpoint` input. */
  endpoint?: string;
  universe: string;
  /** Sent with TLS endpoints only; a plaintext endpoint gets no credentials. */
  authClient?: AuthClient;
  projectId?: string;
  /** Per-request timeout. Default 20 s. */
  timeoutMs?: number;
}

export interface BucketProbe {
  readonly endpoint: HttpEndpoint;
  location(bucket: string): Promise<Outcome<BucketLocation>>;
  /** The subset of `permissions` the credentials hold on the bucket; no object is written. */
  permissions(bucket: string, permissions: string[]): Promise<Outcome<string[]>>;
}

export function storageEndpoint(endpoint: string | undefined, universe: string): HttpEndpoint {
  return resolveHttpEndpoint('storage-endpoint', endpoint, `storage.${universe}`);
}

/** Cloud Storage's ApiError (and gaxios' errors) as an Outcome failure. */
function failure(err: unknown): { ok: false; status?: number; message: string } {
  const e = err as { code?: unknown; status?: unknown; message?: string };
  const status =
    typeof e.code === 'number' ? e.code : typeof e.status === 'number' ? e.status : undefined;
  return { ok: false, status, message: e.message || String(err) };
}

export async function connectStorage(settings: StorageSettings): Promise<BucketProbe> {
  const endpoint = storageEndpoint(settings.endpoint, settings.universe);
  const { Storage } = await import('@google-cloud/storage');
  const storage = new Storage({
    // A custom endpoint gets the credentials only over TLS: the library's own switch for it.
    ...(endpoint.custom
      ? { apiEndpoint: endpoint.baseUrl, useAuthWithCustomEndpoint: endpoint.tls }
      : {}),
    universeDomain: settings.universe,
    ...(endpoint.tls && settings.authClient ? { authClient: settings.authClient } : {}),
    projectId: settings.projectId,
    timeout: settings.timeoutMs ?? 20_000,
    // Preflight must not hold a launch up for minutes: two quick retries of transient errors.
    retryOptions: { autoRetry: true, maxRetries: 2, maxRetryDelay: 1, totalTimeout: 30 },
  });
  return {
    endpoint,
    async location(bucket) {
      try {
        const [metadata] = await storage.bucket(bucket).getMetadata();
        return {
          ok: true,
          value: { location: String(metadata.location ?? ''), locationType: metadata.locationType },
        };
      } catch (err) {
        return failure(err);
      }
    },
    async permissions(bucket, permissions) {
      try {
        const [held] = await storage.bucket(bucket).iam.testPermissions(permissions);
        return { ok: true, value: permissions.filter((p) => held[p]) };
      } catch (err) {
        return failure(err);
      }
    },
  };
}
