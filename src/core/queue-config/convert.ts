// Checks a snake_case queue-config value against a v1 proto message and converts it to proto3
// JSON. The Node client drops unknown keys and enum strings without a word, so everything
// the protos would not accept is a located problem here instead.
import type { JsonObject, JsonValue } from '../request.ts';
import { enumValues, messageSchema, unknownKeyHint } from './schema.ts';
import type { FieldSchema } from './schema.ts';
import { joinPath } from './source.ts';
import { cutShort, quoted } from '../quote.ts';

export interface PathProblem {
  path: string;
  message: string;
}

const INT32 = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32']);
const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const FLOAT = new Set(['double', 'float']);

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${typeof value === 'string' ? quoted(value) : cutShort(String(value))}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** google.protobuf.Duration's range: 10,000 years. */
const MAX_DURATION_SECONDS = 315_576_000_000;

/**
 * Seconds as a proto3 JSON Duration ("3600s"), from a number or a "3600s" string: at most 9
 * fractional digits and never exponent notation, which the JSON form does not allow.
 */
export function toDuration(value: unknown): string | undefined {
  if (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= 0 &&
    value <= MAX_DURATION_SECONDS
  ) {
    return `${Number.isInteger(value) ? value : value.toFixed(9).replace(/\.?0+$/, '')}s`;
  }
  const text = typeof value === 'string' ? value.trim() : '';
  if (/^\d+(\.\d{1,9})?s$/.test(text) && Number(text.slice(0, -1)) <= MAX_DURATION_SECONDS)
    return text;
  return undefined;
}

function convertScalar(
  field: FieldSchema,
  value: unknown,
  path: string,
  out: PathProblem[],
): JsonValue | undefined {
  const fail = (expected: string) => {
    out.push({ path, message: `expected ${expected}, got ${describeValue(value)}` });
    return undefined;
  };
  if (field.type === 'string' || field.type === 'bytes') {
    return typeof value === 'string' ? value : fail('a string (quote it)');
  }
  if (field.type === 'bool') return typeof value === 'boolean' ? value : fail('true or false');
  if (FLOAT.has(field.type)) return typeof value === 'number' ? value : fail('a number');
  const isInt =
    (typeof value === 'number' && Number.isInteger(value)) ||
    (typeof value === 'string' && /^-?\d+$/.test(value));
  if (!isInt) return fail('a whole number');
  if (field.type.startsWith('u') && Number(value) < 0) return fail('a whole number >= 0');
  if (INT32.has(field.type)) return Number(value);
  if (INT64.has(field.type)) return String(value);
  return fail(field.type);
}

function convertField(
  field: FieldSchema,
  value: unknown,
  path: string,
  out: PathProblem[],
): JsonValue | undefined {
  if (field.kind === 'enum') {
    const names = enumValues(field.type);
    if (typeof value === 'string' && names.includes(value)) return value;
    out.push({ path, message: `${describeValue(value)} is not one of ${names.join(', ')}` });
    return undefined;
  }
  if (field.kind === 'message') {
    if (field.type === 'google.protobuf.Duration') {
      const duration = toDuration(value);
      if (duration === undefined)
        out.push({
          path,
          message: `expected seconds (e.g. 3600 or "3600s"), got ${describeValue(value)}`,
        });
      return duration;
    }
    return convertMessage(field.type, value, path, out);
  }
  return convertScalar(field, value, path, out);
}

/** Converts `value` to the proto3 JSON of message `type`; problems go to `out`. */
export function convertMessage(
  type: string,
  value: unknown,
  path: string,
  out: PathProblem[],
): JsonObject | undefined {
  if (!isPlainObject(value)) {
    out.push({ path, message: `expected a mapping, got ${describeValue(value)}` });
    return undefined;
  }
  const { fields } = messageSchema(type);
  const known = Object.keys(fields);
  const result: JsonObject = {};
  const oneofsSeen = new Map<string, string>();
  for (const [key, raw] of Object.entries(value)) {
    const at = joinPath(path, key);
    const field = fields[key];
    if (!field) {
      out.push({ path: at, message: unknownKeyHint(key, known) });
      continue;
    }
    if (raw === null || raw === undefined) continue;
    if (field.oneof) {
      const other = oneofsSeen.get(field.oneof);
      if (other) {
        out.push({ path: at, message: `"${key}" and "${other}" cannot both be set: choose one` });
        continue;
      }
      oneofsSeen.set(field.oneof, key);
    }
    let converted: JsonValue | undefined;
    if (field.map) {
      if (!isPlainObject(raw)) {
        out.push({ path: at, message: `expected a mapping, got ${describeValue(raw)}` });
        continue;
      }
      const entries = Object.entries(raw).map(([k, v]) => [
        k,
        convertField({ ...field, map: undefined, repeated: undefined }, v, joinPath(at, k), out),
      ]);
      converted = Object.fromEntries(entries.filter(([, v]) => v !== undefined));
    } else if (field.repeated) {
      if (!Array.isArray(raw)) {
        out.push({ path: at, message: `expected a list, got ${describeValue(raw)}` });
        continue;
      }
      const items = raw.map((item, i) => convertField(field, item, joinPath(at, i), out));
      converted = items.filter((item) => item !== undefined) as JsonValue[];
    } else {
      converted = convertField(field, raw, at, out);
    }
    if (converted !== undefined) result[field.json] = converted;
  }
  return result;
}
