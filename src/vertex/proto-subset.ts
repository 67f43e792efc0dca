// google-gax with a trimmed proto set swapped in. A generated client parses its package's protos
// when constructed (and again on some error paths); handing it only the subset its calls need
// (scripts/gen-vertex-protos.ts, scripts/gen-logging-protos.ts) instead of the package's whole
// file is most of the action's start-up time. In the bundles the package's file is not even
// loaded: scripts/bundle.mjs leaves a stub in its place, which the swap recognises like the real
// file. Used by the Vertex AI and the Cloud Logging connection alike.
import type * as Gax from 'google-gax';

type GaxModule = typeof Gax;
type ProtoJson = Parameters<InstanceType<GaxModule['GrpcClient']>['loadProtoJSON']>[0];

/** Whether `json` is a proto tree declaring the package at `path` (e.g. google.cloud.aiplatform). */
export function declaresPackage(json: unknown, path: readonly string[]): boolean {
  let node: unknown = json;
  for (const key of path) {
    node = (node as { nested?: Record<string, unknown> } | undefined)?.nested?.[key];
    if (node === undefined) return false;
  }
  return true;
}

/**
 * The gax module to hand a generated client: every proto tree declaring `packagePath` is
 * replaced by `subset`; other trees (the IAM and Locations mixins, gax's own) load as they are.
 */
export function gaxWithProtoSubset(
  gax: GaxModule,
  subset: unknown,
  packagePath: readonly string[],
): GaxModule {
  const subsetFor = <T>(json: T): T => (declaresPackage(json, packagePath) ? (subset as T) : json);
  class SubsetGrpcClient extends gax.GrpcClient {
    override loadProtoJSON(json: ProtoJson, ignoreCache = false) {
      return super.loadProtoJSON(subsetFor(json), ignoreCache);
    }
  }
  // The client also parses its protos on error paths (to decode status details).
  const SubsetRoot = new Proxy(gax.protobuf.Root, {
    get: (target, key, receiver) =>
      key === 'fromJSON'
        ? (json: ProtoJson, root?: InstanceType<typeof gax.protobuf.Root>) =>
            target.fromJSON(subsetFor(json) as never, root)
        : Reflect.get(target, key, receiver),
  });
  return {
    ...gax,
    GrpcClient: SubsetGrpcClient,
    protobufFromJSON: (json: Parameters<GaxModule['protobufFromJSON']>[0]) =>
      gax.protobufFromJSON(subsetFor(json)),
    protobuf: { ...gax.protobuf, Root: SubsetRoot },
  } as unknown as GaxModule;
}
