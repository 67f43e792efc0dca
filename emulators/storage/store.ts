// The Cloud Storage stand-in's state: buckets (with a location, a location type and the
// permissions the caller holds on each) and their objects, rendered as JSON API resources.
// Objects carry md5Hash and crc32c, as the client library checks them on download and upload.
import { createHash } from 'node:crypto';
import { crc32cBase64 } from './crc32c.ts';

export type LocationType = 'region' | 'dual-region' | 'multi-region';

/** What a bucket's IAM grants the caller, by default: enough to read it and write objects. */
export const DEFAULT_PERMISSIONS = [
  'storage.buckets.get',
  'storage.objects.create',
  'storage.objects.delete',
  'storage.objects.get',
  'storage.objects.list',
];

export interface BucketOptions {
  /** Cloud Storage's spelling: upper-case, `US-CENTRAL1`, `NAM4`, `US`. Default US-CENTRAL1. */
  location?: string;
  /** Default: `region` for a name with a digit, else `multi-region`. */
  locationType?: LocationType;
  /** The permissions the caller holds (testIamPermissions answers with these). */
  permissions?: string[];
  storageClass?: string;
}

export interface StoredObject {
  name: string;
  data: Buffer;
  contentType: string;
  generation: string;
  metageneration: string;
  timeCreated: string;
  metadata?: Record<string, string>;
}

export interface StoredBucket {
  name: string;
  location: string;
  locationType: LocationType;
  storageClass: string;
  permissions: Set<string>;
  timeCreated: string;
  objects: Map<string, StoredObject>;
}

export const PROJECT_NUMBER = '123456789012';

export class StorageStore {
  readonly buckets = new Map<string, StoredBucket>();
  private generation = 1_700_000_000_000_000;

  addBucket(name: string, options: BucketOptions = {}): StoredBucket {
    const location = (options.location ?? 'US-CENTRAL1').toUpperCase();
    const bucket: StoredBucket = {
      name,
      location,
      locationType: options.locationType ?? (/\d/.test(location) ? 'region' : 'multi-region'),
      storageClass: options.storageClass ?? 'STANDARD',
      permissions: new Set(options.permissions ?? DEFAULT_PERMISSIONS),
      timeCreated: new Date().toISOString(),
      objects: new Map(),
    };
    this.buckets.set(name, bucket);
    return bucket;
  }

  putObject(bucket: StoredBucket, name: string, data: Buffer, contentType: string): StoredObject {
    const now = new Date().toISOString();
    const object: StoredObject = {
      name,
      data,
      contentType,
      generation: String(this.generation++),
      metageneration: '1',
      timeCreated: now,
    };
    bucket.objects.set(name, object);
    return object;
  }
}

export function bucketResource(bucket: StoredBucket, baseUrl: string): Record<string, unknown> {
  return {
    kind: 'storage#bucket',
    selfLink: `${baseUrl}/storage/v1/b/${bucket.name}`,
    id: bucket.name,
    name: bucket.name,
    projectNumber: PROJECT_NUMBER,
    metageneration: '1',
    location: bucket.location,
    locationType: bucket.locationType,
    storageClass: bucket.storageClass,
    etag: 'CAE=',
    timeCreated: bucket.timeCreated,
    updated: bucket.timeCreated,
    iamConfiguration: {
      uniformBucketLevelAccess: { enabled: true },
      publicAccessPrevention: 'enforced',
    },
  };
}

export function objectResource(
  bucket: StoredBucket,
  object: StoredObject,
  baseUrl: string,
): Record<string, unknown> {
  const path = `b/${bucket.name}/o/${encodeURIComponent(object.name)}`;
  return {
    kind: 'storage#object',
    id: `${bucket.name}/${object.name}/${object.generation}`,
    selfLink: `${baseUrl}/storage/v1/${path}`,
    mediaLink: `${baseUrl}/download/storage/v1/${path}?generation=${object.generation}&alt=media`,
    name: object.name,
    bucket: bucket.name,
    generation: object.generation,
    metageneration: object.metageneration,
    contentType: object.contentType,
    storageClass: bucket.storageClass,
    size: String(object.data.length),
    md5Hash: createHash('md5').update(object.data).digest('base64'),
    crc32c: crc32cBase64(object.data),
    etag: 'CAE=',
    timeCreated: object.timeCreated,
    updated: object.timeCreated,
    ...(object.metadata ? { metadata: object.metadata } : {}),
  };
}
