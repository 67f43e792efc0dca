// A Cloud Storage JSON API stand-in, for the real @google-cloud/storage client pointed at it
// with `apiEndpoint` (not STORAGE_EMULATOR_HOST). It answers what preflight asks (bucket
// metadata with location and locationType; testIamPermissions on a bucket) and serves objects
// (metadata with md5Hash and crc32c, and media), with Google's error shapes. Plaintext, or TLS
// with a given certificate; optionally only for bearer tokens a test accepts.
//
// Requests go through a route table with raw bodies; object uploads (media, multipart and
// resumable, as the client sends them) are the routes of uploads.ts over the same store.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TlsPair } from '../shared/grpc.ts';
import { bearerOf, bodyOf, listenLoopback, sendAfter } from '../shared/http.ts';
import {
  bucketResource,
  objectResource,
  StorageStore,
  type BucketOptions,
  type StoredBucket,
} from './store.ts';
import { uploadRoutes } from './uploads.ts';

export interface StorageRequest {
  method: string;
  /** Decoded path, without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  time: number;
  status?: number;
}

export interface Reply {
  status: number;
  /** JSON-serialized unless a Buffer. */
  body?: unknown;
  headers?: Record<string, string>;
}

interface Route {
  method: string;
  pattern: RegExp;
  handle(req: StorageRequest, match: RegExpExecArray): Reply;
}

export interface StorageEmulatorOptions {
  /** PEM certificate chain and key: serve HTTPS. */
  tls?: TlsPair;
  /** When set, every request needs `Authorization: Bearer <token>` with a token it accepts. */
  validToken?: (token: string) => boolean;
  buckets?: Record<string, BucketOptions>;
}

export interface StorageEmulator {
  /** `http://127.0.0.1:PORT` (or https): the `storage-endpoint` input / `apiEndpoint`. */
  url: string;
  store: StorageStore;
  requests: StorageRequest[];
  addBucket(name: string, options?: BucketOptions): StoredBucket;
  /**
   * The next `count` requests (those `match` accepts, when given) answer `status` (e.g. 503),
   * then normal service resumes.
   */
  failNext(count: number, status: number, match?: (req: StorageRequest) => boolean): void;
  /** Every answer waits this long (latency, for benchmarks and concurrency tests). */
  delayMs: number;
  /** Forget the recorded requests. */
  resetRequests(): void;
  close(): Promise<void>;
}

/** Google's JSON API error body. */
export function googleError(code: number, reason: string, message: string): Reply {
  return {
    status: code,
    body: { error: { code, message, errors: [{ message, domain: 'global', reason }] } },
  };
}

const noBucket = () => googleError(404, 'notFound', 'The specified bucket does not exist.');

export async function startStorageEmulator(
  options: StorageEmulatorOptions = {},
): Promise<StorageEmulator> {
  const store = new StorageStore();
  for (const [name, bucket] of Object.entries(options.buckets ?? {})) store.addBucket(name, bucket);
  const requests: StorageRequest[] = [];
  const failures: Array<{ status: number; match?: (req: StorageRequest) => boolean }> = [];
  let baseUrl = '';
  // eslint-disable-next-line prefer-const -- assigned once the server listens
  let emulator: StorageEmulator;

  const bucketOr = (name: string, fn: (b: StoredBucket) => Reply): Reply => {
    const bucket = store.buckets.get(name);
    return bucket ? fn(bucket) : noBucket();
  };
  const denied = (permission: string, what: string): Reply =>
    googleError(
      403,
      'forbidden',
      `The caller does not have ${permission} access to ${what}. Permission '${permission}' denied on resource (or it may not exist).`,
    );

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/storage\/v1\/b\/([^/]+)$/,
      handle: (_req, [, name]) =>
        bucketOr(name, (b) =>
          b.permissions.has('storage.buckets.get')
            ? { status: 200, body: bucketResource(b, baseUrl) }
            : denied('storage.buckets.get', 'the Google Cloud Storage bucket'),
        ),
    },
    {
      method: 'GET',
      pattern: /^\/storage\/v1\/b\/([^/]+)\/iam\/testPermissions$/,
      handle: (req, [, name]) =>
        bucketOr(name, (b) => {
          const asked = req.query.getAll('permissions');
          if (asked.length === 0)
            return googleError(400, 'required', 'Required parameter: permissions');
          const held = asked.filter((p) => b.permissions.has(p));
          return {
            status: 200,
            body: {
              kind: 'storage#testIamPermissionsResponse',
              ...(held.length > 0 ? { permissions: held } : {}),
            },
          };
        }),
    },
    {
      method: 'GET',
      pattern: /^\/(?:download\/)?storage\/v1\/b\/([^/]+)\/o\/(.+)$/,
      handle: (req, [, name, objectName]) =>
        bucketOr(name, (b) => {
          const object = b.objects.get(objectName);
          if (!object) return googleError(404, 'notFound', `No such object: ${name}/${objectName}`);
          if (!b.permissions.has('storage.objects.get'))
            return denied('storage.objects.get', `the Google Cloud Storage object`);
          const resource = objectResource(b, object, baseUrl);
          if (req.query.get('alt') !== 'media') return { status: 200, body: resource };
          return {
            status: 200,
            body: object.data,
            headers: {
              'content-type': object.contentType,
              'x-goog-hash': `crc32c=${String(resource.crc32c)},md5=${String(resource.md5Hash)}`,
              'x-goog-generation': object.generation,
            },
          };
        }),
    },
    ...uploadRoutes(store, () => baseUrl, googleError),
  ];

  const route = (req: StorageRequest): Reply => {
    const failing = failures.findIndex((f) => !f.match || f.match(req));
    if (failing >= 0) {
      const [{ status }] = failures.splice(failing, 1);
      return googleError(status, 'backendError', 'Backend Error');
    }
    if (options.validToken) {
      const token = bearerOf(req.headers);
      if (!token || !options.validToken(token)) {
        const reply = googleError(401, 'authError', 'Invalid Credentials');
        return {
          ...reply,
          headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' },
        };
      }
    }
    for (const r of routes) {
      if (r.method !== req.method) continue;
      const match = r.pattern.exec(req.path);
      if (match) return r.handle(req, match);
    }
    return googleError(404, 'notFound', `Not Found: ${req.method} ${req.path}`);
  };

  const listener = (incoming: IncomingMessage, res: ServerResponse) =>
    void bodyOf(incoming).then(
      (body) => {
        const url = new URL(incoming.url ?? '/', 'http://storage.local');
        const req: StorageRequest = {
          method: incoming.method ?? 'GET',
          path: url.pathname.split('/').map(decodeURIComponent).join('/'),
          query: url.searchParams,
          headers: incoming.headers,
          body,
          time: Date.now(),
        };
        requests.push(req);
        let reply: Reply;
        try {
          reply = route(req);
        } catch (err) {
          reply = googleError(500, 'backendError', String(err));
        }
        req.status = reply.status;
        const raw = Buffer.isBuffer(reply.body);
        sendAfter(emulator.delayMs, () => {
          res.writeHead(reply.status, {
            'content-type': 'application/json; charset=UTF-8',
            ...reply.headers,
          });
          res.end(raw ? reply.body : reply.body === undefined ? '' : JSON.stringify(reply.body));
        });
      },
      () => res.destroy(),
    );

  const server = await listenLoopback(listener, { tls: options.tls });
  baseUrl = server.url;

  emulator = {
    url: baseUrl,
    delayMs: 0,
    store,
    requests,
    addBucket: (name, bucketOptions) => store.addBucket(name, bucketOptions),
    failNext: (count, status, match) => {
      for (let i = 0; i < count; i++) failures.push({ status, match });
    },
    resetRequests: () => void requests.splice(0),
    close: () => server.close(),
  };
  return emulator;
}
