// The Cloud Storage adapter for preflight: bucket metadata (where a bucket is) and
// testIamPermissions on a bucket, through the real @google-cloud/storage client (client.ts).
// No call throws: each returns an Outcome. The build context's upload is in context-upload.ts.
import type { HttpEndpoint } from '../core/http-endpoint.ts';
import type { BucketLocation } from '../core/preflight/bucket-location.ts';
import type { Outcome } from '../core/preflight/online.ts';
import { createStorage, type StorageSettings } from './client.ts';

export { storageEndpoint, type StorageSettings } from './client.ts';

export interface BucketProbe {
  readonly endpoint: HttpEndpoint;
  location(bucket: string): Promise<Outcome<BucketLocation>>;
  /** The subset of `permissions` the credentials hold on the bucket; no object is written. */
  permissions(bucket: string, permissions: string[]): Promise<Outcome<string[]>>;
}

/** Cloud Storage's ApiError (and gaxios' errors) as an Outcome failure. */
function failure(err: unknown): { ok: false; status?: number; message: string } {
  const e = err as { code?: unknown; status?: unknown; message?: string };
  const status =
    typeof e.code === 'number' ? e.code : typeof e.status === 'number' ? e.status : undefined;
  return { ok: false, status, message: e.message || String(err) };
}

export async function connectStorage(settings: StorageSettings): Promise<BucketProbe> {
  // Preflight must not hold a launch up for minutes: two quick retries of transient errors.
  const { storage, endpoint } = await createStorage(settings, {
    maxRetries: 2,
    maxRetryDelay: 1,
    totalTimeout: 30,
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
