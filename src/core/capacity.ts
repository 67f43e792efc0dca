// Is a failure a region's lack of capacity (so another region may serve the same job), a
// rate limit (retry in place), or anything else (never a reason to move)? Pure.
//
// How Vertex AI words capacity failures, and where that wording was seen:
//  - The job's error when a region has no capacity for its machines (a stockout): code 8
//    (RESOURCE_EXHAUSTED) with "Resources are insufficient in region: us-central1. Please try
//    a different region." (openreview/openreview-expertise#401, N1 + T4 training jobs; it
//    means every zone of the region was tried, so only another region helps).
//  - Create refused by a regional training quota (HTTP 429 / gRPC 8): "The following quota
//    metrics exceed quota limits: aiplatform.googleapis.com/custom_model_training_nvidia_l4_gpus"
//    (GoogleCloudPlatform/stable-diffusion-on-gcp#12; `custom_model_training_tpu_v2` in
//    google-deepmind/xmanager#29; `custom_model_training_cpus` in
//    GoogleCloudPlatform/vertex-ai-samples#3479). The same sentence also ends a job, as its
//    error with code 8 (GoogleCloudPlatform/vertex-ai-samples#700). Vertex AI's training quotas
//    (`custom_model_training_*`) are set per region, so another region has its own.
//  - Rate limits are RESOURCE_EXHAUSTED too, worded by Google's API front end: "Quota exceeded
//    for quota metric '…' and limit '… per minute …' of service 'aiplatform.googleapis.com'",
//    or "Resource has been exhausted (e.g. check quota)." (GoogleCloudPlatform/generative-ai#382,
//    google-gemini/gemini-cli#1906). They pass within a minute: retried in place, never a move.
// The matchers are anchored on those sentences and on code 8, so a training crash, a user
// error, a cancel or a timeout (other codes, other words) is never taken for capacity.

/** google.rpc.Code RESOURCE_EXHAUSTED. */
export const RESOURCE_EXHAUSTED = 8;

export type CapacityKind = 'stockout' | 'quota';

export interface CapacityFailure {
  kind: CapacityKind;
  /** The region the message names (a stockout), when it names one. */
  region?: string;
  /** Vertex AI's sentence as matched (no trailing text: the rest is not ours to print). */
  message: string;
}

const STOCKOUT =
  /^Resources are insufficient in region: ([a-z]+(?:-[a-z]+)+[0-9]+)\. Please try a different region\./;
const QUOTA_SENTENCE = /^The following quota metrics exceed quota limits: (.+?)\.?$/;
const TRAINING_QUOTA_METRIC = /^aiplatform\.googleapis\.com\/custom_model_training_[a-z0-9_]+$/;
const RATE_LIMIT = [
  /^Quota exceeded for quota metric '[^']*' and limit '[^']*per (second|minute|hour|day)[^']*'/i,
  /^Resource has been exhausted \(e\.g\. check quota\)\.?$/,
];

/** A regional training quota: every metric named is one of Vertex AI's per-region training quotas. */
function trainingQuota(message: string): boolean {
  const m = QUOTA_SENTENCE.exec(message.trim());
  if (!m) return false;
  const metrics = m[1].split(',').map((s) => s.trim());
  return metrics.length > 0 && metrics.every((metric) => TRAINING_QUOTA_METRIC.test(metric));
}

/**
 * A job's error as capacity: a stockout in `region` (the region the message names must be the
 * job's), or a regional training quota. Undefined for every other error.
 */
export function capacityOfJobError(
  error: { code?: number; message?: string } | undefined,
  region: string,
): CapacityFailure | undefined {
  if (!error || error.code !== RESOURCE_EXHAUSTED || !error.message) return undefined;
  const message = error.message.trim();
  const stockout = STOCKOUT.exec(message);
  if (stockout)
    return stockout[1] === region ? { kind: 'stockout', region, message: stockout[0] } : undefined;
  return trainingQuota(message) ? { kind: 'quota', message } : undefined;
}

/** CreateCustomJob refused by a regional training quota; undefined for every other failure. */
export function capacityOfCreateError(
  code: number | undefined,
  details: string,
): CapacityFailure | undefined {
  if (code !== RESOURCE_EXHAUSTED) return undefined;
  return trainingQuota(details) ? { kind: 'quota', message: details.trim() } : undefined;
}

/** A rate limit on the API itself: passes within a minute, so the call is repeated in place. */
export function isRateLimit(code: number | undefined, details: string): boolean {
  return code === RESOURCE_EXHAUSTED && RATE_LIMIT.some((r) => r.test(details.trim()));
}

/** `a stockout` / `a regional quota refusal`, for messages. */
export function describeCapacity(failure: CapacityFailure, atCreate = false): string {
  if (failure.kind === 'stockout')
    return 'no capacity for its machines (a stockout, RESOURCE_EXHAUSTED)';
  return atCreate
    ? 'Create refused with RESOURCE_EXHAUSTED by a regional training quota'
    : 'a regional training quota used up (RESOURCE_EXHAUSTED)';
}
