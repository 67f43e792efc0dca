// Generates src/vertex/job-service-protos.generated.json: the part of the protos.json that
// @google-cloud/aiplatform ships which the JobServiceClient needs for the calls this action
// makes (the CustomJob methods, and the types the client's constructor looks up). The client
// parses its protos when it is constructed; the whole 4 MB file costs about a second of
// start-up, this subset a small fraction of it. Usage: node scripts/gen-vertex-protos.ts [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';

const OUT = 'src/vertex/job-service-protos.generated.json';
const SERVICE = 'google.cloud.aiplatform.v1.JobService';
/** The JobService methods the adapter calls. */
export const METHODS = [
  'CreateCustomJob',
  'GetCustomJob',
  'ListCustomJobs',
  'CancelCustomJob',
  'DeleteCustomJob',
];
/** Types the client's constructor looks up for its long-running operations. */
const LOOKED_UP = [
  'google.protobuf.Empty',
  'google.cloud.aiplatform.v1.DeleteOperationMetadata',
  'google.cloud.aiplatform.v1.ModelDeploymentMonitoringJob',
  'google.cloud.aiplatform.v1.UpdateModelDeploymentMonitoringJobOperationMetadata',
];

const require = createRequire(import.meta.url);
const full = require('@google-cloud/aiplatform/build/protos/protos.json') as protobuf.INamespace;
const root = protobuf.Root.fromJSON(full);
root.resolveAll();

const keep = new Set<string>();
function visit(obj: protobuf.ReflectionObject | null): void {
  if (!obj) return;
  const name = obj.fullName.slice(1);
  if (keep.has(name)) return;
  keep.add(name);
  if (obj instanceof protobuf.Type) {
    for (const field of obj.fieldsArray) visit(field.resolvedType);
    for (const nested of obj.nestedArray) visit(nested);
  }
}
const service = root.lookupService(SERVICE);
keep.add(SERVICE);
for (const method of METHODS) {
  const m = service.methods[method];
  if (!m) throw new Error(`${SERVICE} has no method ${method}`);
  visit(m.resolvedRequestType);
  visit(m.resolvedResponseType);
}
for (const name of LOOKED_UP) visit(root.lookup(name));

/** The namespace tree of `full`, keeping only kept types (and the service's kept methods). */
function prune(ns: protobuf.INamespace, prefix: string): protobuf.INamespace | undefined {
  const nested: Record<string, protobuf.AnyNestedObject> = {};
  for (const [key, child] of Object.entries(ns.nested ?? {})) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (keep.has(name)) {
      if (name === SERVICE) {
        const svc = child as protobuf.IService;
        nested[key] = {
          ...svc,
          methods: Object.fromEntries(METHODS.map((m) => [m, svc.methods[m]])),
        };
      } else {
        nested[key] = child;
      }
    } else if (
      'nested' in child &&
      !('fields' in child) &&
      !('values' in child) &&
      !('methods' in child)
    ) {
      const pruned = prune(child as protobuf.INamespace, name);
      if (pruned) nested[key] = pruned as protobuf.AnyNestedObject;
    }
  }
  if (Object.keys(nested).length === 0) return undefined;
  return { ...(ns.options ? { options: ns.options } : {}), nested };
}

const text = `${JSON.stringify(prune(full, ''))}\n`;
// The subset must stand on its own: every reference resolves.
protobuf.Root.fromJSON(JSON.parse(text)).resolveAll();

if (process.argv.includes('--check')) {
  if (readFileSync(OUT, 'utf8') !== text) {
    console.error(`${OUT} is stale: run node scripts/gen-vertex-protos.ts`);
    process.exit(1);
  }
  console.log(`${OUT} is current`);
} else {
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}: ${keep.size} types, ${(text.length / 1024).toFixed(0)} KiB`);
}
