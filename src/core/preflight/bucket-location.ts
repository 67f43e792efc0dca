// Whether a bucket's location suits a job's region.
//
// The rule, as Vertex AI states it: Vertex AI is a regionalized service and stores and
// processes data only in the region given (https://cloud.google.com/vertex-ai/docs/general/locations);
// its Cloud Storage buckets must be in a single region, the job's own. A `US` multi-region
// bucket for a us-central1 job is refused at Create with FAILED_PRECONDITION: "The Cloud
// Storage bucket of `gs://...` is in location `us`. It must be in the same regional location
// as the service location `us-central1`." (Vertex AI SDK maintainers in
// googleapis/python-aiplatform#885 and GoogleCloudPlatform/vertex-ai-samples#19: "buckets
// must be in a single region and must match the region of the Vertex service"; the SDK creates
// its own staging buckets regional for that reason.) So:
//   - locationType `region`: the region must be the job's (Cloud Storage spells it upper-case);
//   - `dual-region` (e.g. NAM4, or US-CENTRAL1+US-EAST1) and `multi-region` (US, EU, ASIA):
//     refused, even when one of the regions is the job's.

export interface BucketLocation {
  /** As Cloud Storage reports it: `US-CENTRAL1`, `NAM4`, `US`. */
  location: string;
  /** `region`, `dual-region` or `multi-region`. */
  locationType?: string;
}

/** Undefined when the bucket suits the region; otherwise why not, for the user. */
export function bucketLocationProblem(
  bucket: string,
  where: BucketLocation,
  region: string,
): string | undefined {
  const location = where.location.toLowerCase();
  const type = (where.locationType ?? '').toLowerCase();
  const fix =
    `Vertex AI only accepts a bucket in the job's own region: create one with ` +
    `\`gcloud storage buckets create gs://NAME --location=${region}\` and use it`;
  if (type === 'multi-region' || type === 'dual-region') {
    return `gs://${bucket} is in the ${type} ${where.location}, but the job runs in ${region}; Vertex AI would refuse the job (FAILED_PRECONDITION). ${fix}`;
  }
  // Without a type, a location that is not a region name (US, EU, NAM4) is not a single region.
  if (!type && !/^[a-z]+-[a-z]+\d+$/.test(location)) {
    return `gs://${bucket} is in ${where.location}, not in a single region; the job runs in ${region}. ${fix}`;
  }
  if (location !== region.toLowerCase()) {
    return `gs://${bucket} is in ${location}, but the job runs in ${region}; Vertex AI would refuse the job (FAILED_PRECONDITION). ${fix}, or run the job in ${location}`;
  }
  return undefined;
}

/** `gs://bucket/path`, `gs://bucket` or `bucket` -> `bucket`; undefined for anything else. */
export function bucketOf(uri: string): string | undefined {
  const m = /^(?:gs:\/\/)?([^/\s]+)(?:\/.*)?$/.exec(uri.trim());
  return m?.[1];
}
