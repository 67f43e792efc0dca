// Object uploads for the Cloud Storage stand-in, as the JSON API takes them:
//   POST /upload/storage/v1/b/BUCKET/o?uploadType=media&name=N        the body is the object
//   POST /upload/storage/v1/b/BUCKET/o?uploadType=multipart           multipart/related: JSON
//        metadata, then the media
//   POST /upload/storage/v1/b/BUCKET/o?uploadType=resumable&name=N    starts a session; the
//        answer's Location is the session URI (…&upload_id=ID)
//   PUT  <session URI>  Content-Range `bytes A-B/TOTAL` (a chunk), `bytes A-*/TOTAL|*` (the rest,
//        in one request), `bytes */TOTAL|*` (how much arrived?): 308 with `Range: bytes=0-N`
//        until the object is whole, then 200 with the object resource.
// `ifGenerationMatch=0` (create only) answers 412 when the object exists. Hashes the client
// sends (X-Goog-Hash on the final request, crc32c/md5Hash in multipart metadata) are checked
// against the bytes received: a mismatch is a 400, as the service answers a corrupted upload.
import { createHash, randomBytes } from 'node:crypto';
import { crc32cBase64 } from './crc32c.ts';
import type { Reply, StorageRequest } from './emulator.ts';
import { objectResource, type StorageStore, type StoredBucket } from './store.ts';

export interface UploadRoute {
  method: string;
  pattern: RegExp;
  handle(req: StorageRequest, match: RegExpExecArray): Reply;
}

interface Session {
  bucket: string;
  name: string;
  contentType: string;
  metadata?: Record<string, string>;
  ifGenerationMatch?: string;
  received: Buffer[];
  size: number;
  /** Set once the object is whole. */
  done?: Record<string, unknown>;
}

type ErrorReply = (code: number, reason: string, message: string) => Reply;

function header(req: StorageRequest, name: string): string {
  const value = req.headers[name.toLowerCase()];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** `crc32c=...,md5=...` into its parts. */
function parseGoogHash(value: string): { crc32c?: string; md5?: string } {
  const out: { crc32c?: string; md5?: string } = {};
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    if (key === 'crc32c' || key === 'md5') out[key] = part.slice(eq + 1).trim();
  }
  return out;
}

/** The multipart/related body of a multipart upload: [metadata JSON, media]. */
function parseMultipart(req: StorageRequest): { metadata: Record<string, unknown>; media: Buffer } {
  const type = header(req, 'content-type');
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!/^multipart\/related/i.test(type) || !boundary)
    throw new Error(`multipart upload needs Content-Type multipart/related; got "${type}"`);
  const body = req.body;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    parts.push(body.subarray(start, next));
    at = next;
  }
  const content = (part: Buffer) => {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) throw new Error('multipart part without headers');
    let data = part.subarray(split + 4);
    if (data.subarray(-2).toString() === '\r\n') data = data.subarray(0, -2);
    return data;
  };
  if (parts.length !== 2) throw new Error(`multipart upload needs 2 parts; got ${parts.length}`);
  return {
    metadata: JSON.parse(content(parts[0]).toString('utf8') || '{}') as Record<string, unknown>,
    media: content(parts[1]),
  };
}

export function uploadRoutes(
  store: StorageStore,
  baseUrl: () => string,
  googleError: ErrorReply,
): UploadRoute[] {
  const sessions = new Map<string, Session>();

  const bucketFor = (name: string): StoredBucket | Reply => {
    const bucket = store.buckets.get(name);
    if (!bucket) return googleError(404, 'notFound', 'The specified bucket does not exist.');
    if (!bucket.permissions.has('storage.objects.create'))
      return googleError(
        403,
        'forbidden',
        `The caller does not have storage.objects.create access to the Google Cloud Storage object. Permission 'storage.objects.create' denied on resource (or it may not exist).`,
      );
    return bucket;
  };
  const isReply = (x: StoredBucket | Reply): x is Reply => 'status' in x;

  const preconditionFailed = (bucket: StoredBucket, name: string, ifGenerationMatch?: string) => {
    if (ifGenerationMatch === undefined) return undefined;
    const existing = bucket.objects.get(name);
    const current = existing ? existing.generation : '0';
    return current === ifGenerationMatch
      ? undefined
      : googleError(
          412,
          'conditionNotMet',
          'At least one of the pre-conditions you specified did not hold.',
        );
  };

  const hashMismatch = (data: Buffer, sent: { crc32c?: string; md5?: string }) => {
    const crc = crc32cBase64(data);
    const md5 = createHash('md5').update(data).digest('base64');
    if (sent.crc32c !== undefined && sent.crc32c !== crc)
      return googleError(
        400,
        'invalid',
        `Provided CRC32C "${sent.crc32c}" doesn't match calculated CRC32C "${crc}".`,
      );
    if (sent.md5 !== undefined && sent.md5 !== md5)
      return googleError(
        400,
        'invalid',
        `Provided MD5 hash "${sent.md5}" doesn't match calculated MD5 hash "${md5}".`,
      );
    return undefined;
  };

  const finish = (
    bucket: StoredBucket,
    name: string,
    data: Buffer,
    contentType: string,
    metadata?: Record<string, string>,
  ): Reply => {
    const object = store.putObject(bucket, name, data, contentType);
    if (metadata) object.metadata = metadata;
    return { status: 200, body: objectResource(bucket, object, baseUrl()) };
  };

  const stringMap = (v: unknown): Record<string, string> | undefined =>
    v && typeof v === 'object' ? (v as Record<string, string>) : undefined;

  const start: UploadRoute = {
    method: 'POST',
    pattern: /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/,
    handle(req, [, bucketName]) {
      const bucket = bucketFor(bucketName);
      if (isReply(bucket)) return bucket;
      const type = req.query.get('uploadType');
      const ifGenerationMatch = req.query.get('ifGenerationMatch') ?? undefined;
      if (type === 'media') {
        const name = req.query.get('name');
        if (!name) return googleError(400, 'required', 'Required parameter: name');
        return (
          preconditionFailed(bucket, name, ifGenerationMatch) ??
          finish(bucket, name, req.body, header(req, 'content-type') || 'application/octet-stream')
        );
      }
      if (type === 'multipart') {
        let parsed;
        try {
          parsed = parseMultipart(req);
        } catch (err) {
          return googleError(400, 'invalid', (err as Error).message);
        }
        const name = req.query.get('name') ?? String(parsed.metadata.name ?? '');
        if (!name) return googleError(400, 'required', 'Required parameter: name');
        return (
          preconditionFailed(bucket, name, ifGenerationMatch) ??
          hashMismatch(parsed.media, {
            crc32c: parsed.metadata.crc32c as string | undefined,
            md5: parsed.metadata.md5Hash as string | undefined,
          }) ??
          finish(
            bucket,
            name,
            parsed.media,
            String(parsed.metadata.contentType ?? 'application/octet-stream'),
            stringMap(parsed.metadata.metadata),
          )
        );
      }
      if (type === 'resumable') {
        let metadata: Record<string, unknown> = {};
        try {
          metadata = req.body.length
            ? (JSON.parse(req.body.toString('utf8')) as typeof metadata)
            : {};
        } catch {
          return googleError(400, 'parseError', 'Parse Error');
        }
        const name = req.query.get('name') ?? String(metadata.name ?? '');
        if (!name) return googleError(400, 'required', 'Required parameter: name');
        const failed = preconditionFailed(bucket, name, ifGenerationMatch);
        if (failed) return failed;
        const id = randomBytes(12).toString('base64url');
        sessions.set(id, {
          bucket: bucketName,
          name,
          contentType:
            header(req, 'x-upload-content-type') ||
            String(metadata.contentType ?? 'application/octet-stream'),
          metadata: stringMap(metadata.metadata),
          ifGenerationMatch,
          received: [],
          size: 0,
        });
        const location =
          `${baseUrl()}/upload/storage/v1/b/${encodeURIComponent(bucketName)}/o` +
          `?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${id}`;
        return { status: 200, body: {}, headers: { location } };
      }
      return googleError(400, 'invalid', `Invalid upload type: ${type ?? '(none)'}`);
    },
  };

  /** The final request of a resumable session: check and store the object. */
  const complete = (session: Session, req: StorageRequest): Reply => {
    const bucket = bucketFor(session.bucket);
    if (isReply(bucket)) return bucket;
    const data = Buffer.concat(session.received);
    const failed =
      preconditionFailed(bucket, session.name, session.ifGenerationMatch) ??
      hashMismatch(data, parseGoogHash(header(req, 'x-goog-hash')));
    if (failed) return failed;
    const reply = finish(bucket, session.name, data, session.contentType, session.metadata);
    session.done = reply.body as Record<string, unknown>;
    return reply;
  };

  const put: UploadRoute = {
    method: 'PUT',
    pattern: /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/,
    handle(req) {
      const id = req.query.get('upload_id') ?? '';
      const session = sessions.get(id);
      if (!session) return googleError(404, 'notFound', 'No such upload session.');
      if (session.done) return { status: 200, body: session.done };
      const incomplete = (): Reply => ({
        status: 308,
        body: Buffer.alloc(0),
        headers: session.size > 0 ? { range: `bytes=0-${session.size - 1}` } : {},
      });
      const range = header(req, 'content-range').trim();
      const query = /^bytes \*\/(\d+|\*)$/.exec(range);
      if (query) {
        if (query[1] !== '*' && Number(query[1]) === session.size) return complete(session, req);
        return incomplete();
      }
      const chunk = /^bytes (\d+)-(\d+|\*)\/(\d+|\*)$/.exec(range);
      if (!chunk) return googleError(400, 'invalid', `Invalid Content-Range: "${range}"`);
      const from = Number(chunk[1]);
      if (from > session.size)
        return googleError(
          400,
          'invalid',
          `Content-Range starts at ${from}; only ${session.size} bytes arrived`,
        );
      // Bytes the service already has (a retried chunk) are dropped.
      const fresh = req.body.subarray(session.size - from);
      session.received.push(fresh);
      session.size += fresh.length;
      const total = chunk[3] === '*' ? undefined : Number(chunk[3]);
      // `A-*` sends the rest of the object: this request ends the upload.
      const last = chunk[2] === '*' || (total !== undefined && session.size >= total);
      if (!last) return incomplete();
      if (total !== undefined && session.size !== total)
        return googleError(
          400,
          'invalid',
          `Received ${session.size} bytes; Content-Range says ${total}`,
        );
      return complete(session, req);
    },
  };

  return [start, put];
}
