// An IAM stand-in for `POST /v1/projects/PROJECT/serviceAccounts/EMAIL:testIamPermissions`:
// which of the asked permissions (iam.serviceAccounts.actAs, ...) the caller holds on a service
// account. As IAM does, an account that does not exist is 404 under its own project and 403
// under `projects/-`; a caller that may not make the check at all gets 403 PERMISSION_DENIED.
// Plaintext, or TLS with a given certificate; optionally only for bearer tokens a test accepts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TlsPair } from '../shared/grpc.ts';
import { bearerOf, bodyOf, googleStatusError, listenLoopback, sendAfter } from '../shared/http.ts';

export interface IamRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  time: number;
  status?: number;
}

export interface ServiceAccountState {
  /** The permissions the caller holds on the account. */
  permissions: Set<string>;
}

export interface IamEmulatorOptions {
  tls?: TlsPair;
  validToken?: (token: string) => boolean;
}

export interface IamEmulator {
  /** `http://127.0.0.1:PORT` (or https): the `iam-endpoint` input. */
  url: string;
  requests: IamRequest[];
  accounts: Map<string, ServiceAccountState>;
  /** An account the caller may act as (`actAs: true`, the default) or not. */
  addAccount(email: string, grant?: { actAs?: boolean }): void;
  /** Accounts on which the check itself is refused (403), or `true` for all. */
  refuseCheck: Set<string> | true;
  /** Every answer waits this long (latency, for benchmarks and concurrency tests). */
  delayMs: number;
  resetRequests(): void;
  close(): Promise<void>;
}

const ACT_AS = 'iam.serviceAccounts.actAs';
const PATH = /^\/v1\/projects\/([^/]+)\/serviceAccounts\/([^/:]+):testIamPermissions$/;

const googleError = (code: number, status: string, message: string) =>
  googleStatusError(code, status, message);

export async function startIamEmulator(options: IamEmulatorOptions = {}): Promise<IamEmulator> {
  const requests: IamRequest[] = [];
  const accounts = new Map<string, ServiceAccountState>();
  const state = { refuseCheck: new Set<string>() as Set<string> | true };
  // eslint-disable-next-line prefer-const -- assigned once the server listens
  let emulator: IamEmulator;

  const handle = (req: IamRequest): { status: number; body: unknown } => {
    if (options.validToken) {
      const token = bearerOf(req.headers);
      if (!token || !options.validToken(token))
        return googleError(
          401,
          'UNAUTHENTICATED',
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        );
    }
    const m = PATH.exec(req.path);
    if (req.method !== 'POST' || !m) return googleError(404, 'NOT_FOUND', 'Not Found');
    const [, project, email] = m;
    let asked: string[] = [];
    try {
      const body = JSON.parse(req.body || '{}') as { permissions?: unknown };
      if (Array.isArray(body.permissions)) asked = body.permissions.map(String);
    } catch {
      return googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
    }
    const refused = state.refuseCheck === true || state.refuseCheck.has(email);
    const account = accounts.get(email);
    if (refused || (!account && project === '-')) {
      return googleError(
        403,
        'PERMISSION_DENIED',
        `Permission 'iam.serviceAccounts.getIamPolicy' denied on resource (or it may not exist).`,
      );
    }
    if (!account)
      return googleError(
        404,
        'NOT_FOUND',
        `Unknown service account: projects/${project}/serviceAccounts/${email}`,
      );
    const held = asked.filter((p) => account.permissions.has(p));
    // Like Google's APIs, an empty list is left out of the response.
    return { status: 200, body: held.length > 0 ? { permissions: held } : {} };
  };

  const listener = (incoming: IncomingMessage, res: ServerResponse) =>
    void bodyOf(incoming).then(
      (body) => {
        const url = new URL(incoming.url ?? '/', 'http://iam.local');
        const req: IamRequest = {
          method: incoming.method ?? 'GET',
          path: decodeURIComponent(url.pathname),
          headers: incoming.headers,
          body: body.toString('utf8'),
          time: Date.now(),
        };
        requests.push(req);
        const reply = handle(req);
        req.status = reply.status;
        sendAfter(emulator.delayMs, () => {
          res.writeHead(reply.status, { 'content-type': 'application/json; charset=UTF-8' });
          res.end(JSON.stringify(reply.body));
        });
      },
      () => res.destroy(),
    );
  const server = await listenLoopback(listener, { tls: options.tls });

  emulator = {
    url: server.url,
    requests,
    accounts,
    delayMs: 0,
    addAccount(email, grant = {}) {
      accounts.set(email, { permissions: new Set(grant.actAs === false ? [] : [ACT_AS]) });
    },
    get refuseCheck() {
      return state.refuseCheck;
    },
    set refuseCheck(value) {
      state.refuseCheck = value;
    },
    resetRequests: () => void requests.splice(0),
    close: () => server.close(),
  };
  return emulator;
}
