// Build contexts in Cloud Storage, through the real @google-cloud/storage client: is a
// context's object there, upload it once (create-only, so concurrent uploads of the same
// context never clobber each other), and read a small object back (the digest a build wrote).
// Failures become located errors of the build phase that say which permission is missing.
import { UserError, errorMessage } from '../core/errors.ts';
import type { HttpEndpoint } from '../core/http-endpoint.ts';
import { gsUri } from '../core/image/context-store.ts';
import { createStorage, type StorageSettings } from './client.ts';

/** Up to this size one multipart request; above it a resumable session, which survives errors. */
export const RESUMABLE_THRESHOLD = 5 * 1024 * 1024;
/**
 * A resumable session sends chunks of this size (a multiple of 256 KiB), each kept until the
 * service confirms it: a failed request is sent again from where the service says it stopped.
 */
export const UPLOAD_CHUNK = 8 * 1024 * 1024;

export interface UploadResult {
  /** false: the object appeared meanwhile (another run uploaded the same context). */
  uploaded: boolean;
  resumable: boolean;
}

export interface ContextObjects {
  readonly endpoint: HttpEndpoint;
  exists(bucket: string, name: string): Promise<boolean>;
  upload(
    bucket: string,
    name: string,
    file: string,
    size: number,
    contentType: string,
  ): Promise<UploadResult>;
  /** The object's text; undefined when there is no such object. */
  readText(bucket: string, name: string): Promise<string | undefined>;
}

function statusOf(err: unknown): number | undefined {
  const e = err as { code?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const v of [e.code, e.status, e.response?.status]) if (typeof v === 'number') return v;
  return undefined;
}

function storageError(err: unknown, what: string, bucket: string, access: 'read' | 'write') {
  const status = statusOf(err);
  const message = errorMessage(err);
  const role = access === 'write' ? 'roles/storage.objectCreator' : 'roles/storage.objectViewer';
  const hint =
    status === 403 || status === 401
      ? `the credentials may not ${access} objects in gs://${bucket}: grant the workflow's identity ${role} on the bucket of build-context-store`
      : status === 404
        ? `bucket gs://${bucket} does not exist: create it (in the job's region) or fix build-context-store`
        : 'check build-context-store and storage-endpoint';
  return new UserError(
    'build',
    `Cloud Storage: ${what} failed${status ? ` (HTTP ${status})` : ''}: ${message}. ${hint[0].toUpperCase()}${hint.slice(1)}.`,
    [{ path: 'build-context-store', message: hint }],
  );
}

export async function connectContextObjects(settings: StorageSettings): Promise<ContextObjects> {
  // An upload is worth waiting for: more and longer retries than preflight's probes.
  const { storage, endpoint } = await createStorage(
    { ...settings, timeoutMs: settings.timeoutMs ?? 60_000 },
    { maxRetries: 4, maxRetryDelay: 8, totalTimeout: 600 },
  );
  return {
    endpoint,
    async exists(bucket, name) {
      try {
        const [exists] = await storage.bucket(bucket).file(name).exists();
        return exists;
      } catch (err) {
        throw storageError(err, `reading ${gsUri(bucket, name)}`, bucket, 'read');
      }
    },
    async upload(bucket, name, file, size, contentType) {
      const resumable = size > RESUMABLE_THRESHOLD;
      try {
        await storage.bucket(bucket).upload(file, {
          destination: name,
          resumable,
          ...(resumable ? { chunkSize: UPLOAD_CHUNK } : {}),
          metadata: { contentType },
          // Create only: an object of this name is this very context already.
          preconditionOpts: { ifGenerationMatch: 0 },
        });
        return { uploaded: true, resumable };
      } catch (err) {
        if (statusOf(err) === 412) return { uploaded: false, resumable };
        throw storageError(err, `uploading ${gsUri(bucket, name)}`, bucket, 'write');
      }
    },
    async readText(bucket, name) {
      try {
        const [data] = await storage.bucket(bucket).file(name).download();
        return data.toString('utf8');
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw storageError(err, `reading ${gsUri(bucket, name)}`, bucket, 'read');
      }
    },
  };
}
