// The part of a client package's protos.json that a generated client needs for the methods this
// action calls: the service with only those methods, every type they reach, and the types the
// client's constructor looks up. Clients parse their protos when constructed; a subset is a
// fraction of the start-up time of the package's whole file. Used by the gen-*-protos scripts.
import { readFileSync, writeFileSync } from 'node:fs';
import protobuf from 'protobufjs';

export interface SubsetSpec {
  service: string;
  methods: string[];
  /** Types the client looks up by name (long-running operation metadata and the like). */
  lookedUp?: string[];
}

export function protoSubset(full: protobuf.INamespace, spec: SubsetSpec): string {
  const root = protobuf.Root.fromJSON(full);
  root.resolveAll();
  const keep = new Set<string>();
  const visit = (obj: protobuf.ReflectionObject | null): void => {
    if (!obj) return;
    const name = obj.fullName.slice(1);
    if (keep.has(name)) return;
    keep.add(name);
    if (obj instanceof protobuf.Type) {
      for (const field of obj.fieldsArray) visit(field.resolvedType);
      for (const nested of obj.nestedArray) visit(nested);
    }
  };
  const service = root.lookupService(spec.service);
  keep.add(spec.service);
  for (const method of spec.methods) {
    const m = service.methods[method];
    if (!m) throw new Error(`${spec.service} has no method ${method}`);
    visit(m.resolvedRequestType);
    visit(m.resolvedResponseType);
  }
  for (const name of spec.lookedUp ?? []) visit(root.lookup(name));

  /** The namespace tree of `full`, keeping only kept types (and the service's kept methods). */
  const prune = (ns: protobuf.INamespace, prefix: string): protobuf.INamespace | undefined => {
    const nested: Record<string, protobuf.AnyNestedObject> = {};
    for (const [key, child] of Object.entries(ns.nested ?? {})) {
      const name = prefix ? `${prefix}.${key}` : key;
      if (keep.has(name)) {
        if (name === spec.service) {
          const svc = child as protobuf.IService;
          nested[key] = {
            ...svc,
            methods: Object.fromEntries(spec.methods.map((m) => [m, svc.methods[m]])),
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
  };

  const text = `${JSON.stringify(prune(full, ''))}\n`;
  // The subset must stand on its own: every reference resolves.
  protobuf.Root.fromJSON(JSON.parse(text)).resolveAll();
  return text;
}

/** Writes `text` to `out`, or with `--check` in argv fails when `out` differs. */
export function writeOrCheck(out: string, text: string, regenerate: string): void {
  if (process.argv.includes('--check')) {
    if (readFileSync(out, 'utf8') !== text) {
      console.error(`${out} is stale: run ${regenerate}`);
      process.exit(1);
    }
    console.log(`${out} is current`);
  } else {
    writeFileSync(out, text);
    console.log(`wrote ${out}: ${(text.length / 1024).toFixed(0)} KiB`);
  }
}
