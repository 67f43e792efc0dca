// Generates src/core/queue-config/schema.generated.json from the v1 .proto files that
// @google-cloud/aiplatform ships: every message and enum reachable from CustomJob, with the
// protos' own snake_case field names. The queue-config validator reads only this file, so
// `plan` never loads the 4 MB protos.json, yet validates against exactly the shipped protos.
// Usage: node scripts/gen-schema.ts [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import protobuf from 'protobufjs';

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('@google-cloud/aiplatform/package.json'));
const gaxDir = join(pkgDir, '../../google-gax');
const includeDirs = [join(pkgDir, 'build/protos'), join(gaxDir, 'build/protos')];
const OUT = 'src/core/queue-config/schema.generated.json';
const ROOT_TYPE = 'google.cloud.aiplatform.v1.CustomJob';

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => {
  for (const dir of includeDirs) {
    const candidate = join(dir, target);
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      // try the next include directory
    }
  }
  return target;
};
root.loadSync('google/cloud/aiplatform/v1/custom_job.proto', { keepCase: true });
root.resolveAll();

type FieldOut = {
  json: string;
  type: string;
  kind: 'scalar' | 'message' | 'enum';
  repeated?: true;
  map?: string;
  oneof?: string;
};
const messages: Record<string, { fields: Record<string, FieldOut> }> = {};
const enums: Record<string, string[]> = {};

function jsonName(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function visit(type: protobuf.Type): void {
  const name = type.fullName.slice(1);
  if (messages[name]) return;
  const out: { fields: Record<string, FieldOut> } = { fields: {} };
  messages[name] = out;
  for (const field of type.fieldsArray) {
    const f: FieldOut = { json: jsonName(field.name), type: field.type, kind: 'scalar' };
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) {
      f.kind = 'message';
      f.type = resolved.fullName.slice(1);
      visit(resolved);
    } else if (resolved instanceof protobuf.Enum) {
      f.kind = 'enum';
      f.type = resolved.fullName.slice(1);
      enums[f.type] = Object.keys(resolved.values);
    }
    if (field.repeated) f.repeated = true;
    if (field instanceof protobuf.MapField) f.map = field.keyType;
    if (field.partOf) f.oneof = field.partOf.name;
    out.fields[field.name] = f;
  }
}

visit(root.lookupType(ROOT_TYPE));
const sortObject = <T>(o: Record<string, T>) =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version as string;
const text = `${JSON.stringify({ source: `@google-cloud/aiplatform@${version} v1 protos`, root: ROOT_TYPE, messages: sortObject(messages), enums: sortObject(enums) })}\n`;

if (process.argv.includes('--check')) {
  if (readFileSync(OUT, 'utf8') !== text) {
    console.error(`${OUT} is stale: run node scripts/gen-schema.ts`);
    process.exit(1);
  }
  console.log(`${OUT} is current`);
} else {
  writeFileSync(OUT, text);
  console.log(
    `wrote ${OUT}: ${Object.keys(messages).length} messages, ${Object.keys(enums).length} enums`,
  );
}
