// The IAM adapter: testIamPermissions on a service account (`iam.serviceAccounts.actAs` for
// the job's run-as account). Over TLS the request goes through google-auth-library's own
// authorized transport (the credentials' bearer token, refreshed as needed); a plaintext
// endpoint gets a bare request with no credentials. No call throws: each returns an Outcome.
import type { AuthClient } from 'google-auth-library';
import { resolveHttpEndpoint, type HttpEndpoint } from '../core/http-endpoint.ts';
import type { Outcome } from '../core/preflight/online.ts';
import { errorMessage as messageOf } from '../core/errors.ts';

export interface IamSettings {
  /** The `iam-endpoint` input. */
  endpoint?: string;
  universe: string;
  authClient?: AuthClient;
  /** Per-request timeout. Default 20 s. */
  timeoutMs?: number;
}

export interface ServiceAccountPermissions {
  readonly endpoint: HttpEndpoint;
  /** The subset of `permissions` the credentials hold on `projects/PROJECT/serviceAccounts/EMAIL`. */
  test(project: string, email: string, permissions: string[]): Promise<Outcome<string[]>>;
}

export function iamEndpoint(endpoint: string | undefined, universe: string): HttpEndpoint {
  return resolveHttpEndpoint('iam-endpoint', endpoint, `iam.${universe}`);
}

interface GoogleErrorBody {
  error?: { code?: number; message?: string; status?: string };
}

function errorMessage(body: unknown, fallback: string): string {
  const error = (body as GoogleErrorBody | undefined)?.error;
  if (!error?.message) return fallback;
  return error.status ? `${error.status}: ${error.message}` : error.message;
}

function grantedOf(body: unknown, asked: string[]): string[] {
  const held = (body as { permissions?: unknown } | undefined)?.permissions;
  return Array.isArray(held) ? asked.filter((p) => held.includes(p)) : [];
}

export function iamClient(settings: IamSettings): ServiceAccountPermissions {
  const endpoint = iamEndpoint(settings.endpoint, settings.universe);
  const timeout = settings.timeoutMs ?? 20_000;
  const url = (project: string, email: string) =>
    `${endpoint.baseUrl}/v1/projects/${encodeURIComponent(project)}/serviceAccounts/${encodeURIComponent(email)}:testIamPermissions`;

  const viaAuthClient = async (
    client: AuthClient,
    target: string,
    permissions: string[],
  ): Promise<Outcome<string[]>> => {
    try {
      const res = await client.request({
        url: target,
        method: 'POST',
        data: { permissions },
        timeout,
        responseType: 'json',
      });
      return { ok: true, value: grantedOf(res.data, permissions) };
    } catch (err) {
      const e = err as { status?: number; response?: { status?: number; data?: unknown } };
      const status = e.response?.status ?? e.status;
      return {
        ok: false,
        status,
        message: errorMessage(e.response?.data, messageOf(err)),
      };
    }
  };

  const plain = async (target: string, permissions: string[]): Promise<Outcome<string[]>> => {
    try {
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ permissions }),
        signal: AbortSignal.timeout(timeout),
      });
      const body = (await res.json().catch(() => undefined)) as unknown;
      if (!res.ok)
        return { ok: false, status: res.status, message: errorMessage(body, res.statusText) };
      return { ok: true, value: grantedOf(body, permissions) };
    } catch (err) {
      return { ok: false, message: messageOf(err) };
    }
  };

  return {
    endpoint,
    test(project, email, permissions) {
      const target = url(project, email);
      if (endpoint.tls) {
        if (!settings.authClient)
          return Promise.resolve({ ok: false, message: 'no credentials to call IAM with' });
        return viaAuthClient(settings.authClient, target, permissions);
      }
      return plain(target, permissions);
    },
  };
}
