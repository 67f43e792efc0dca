// The @google-cloud/storage client as every Cloud Storage adapter here sets it up: the
// `storage-endpoint` input as apiEndpoint (credentials only over TLS), the universe, the
// project, a per-request timeout and the caller's retry budget. Loaded on first use, so a run
// that never touches Cloud Storage never pays for the library.
import type { Storage } from '@google-cloud/storage';
import type { AuthClient } from 'google-auth-library';
import { resolveHttpEndpoint, type HttpEndpoint } from '../core/http-endpoint.ts';

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

export interface StorageRetries {
  maxRetries: number;
  /** Seconds. */
  maxRetryDelay: number;
  /** Seconds. */
  totalTimeout: number;
}

export function storageEndpoint(endpoint: string | undefined, universe: string): HttpEndpoint {
  return resolveHttpEndpoint('storage-endpoint', endpoint, `storage.${universe}`);
}

export async function createStorage(
  settings: StorageSettings,
  retries: StorageRetries,
): Promise<{ storage: Storage; endpoint: HttpEndpoint }> {
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
    retryOptions: { autoRetry: true, ...retries },
  });
  return { storage, endpoint };
}
