// Typed access to the schema generated from @google-cloud/aiplatform's v1 protos
// (scripts/gen-schema.ts), plus the naming helpers the validator's hints use.
import generated from './schema.generated.json' with { type: 'json' };
import { quoted } from '../quote.ts';

export interface FieldSchema {
  json: string;
  type: string;
  kind: 'scalar' | 'message' | 'enum';
  repeated?: true;
  map?: string;
  oneof?: string;
}

export interface MessageSchema {
  fields: Record<string, FieldSchema>;
}

const schema = generated as unknown as {
  source: string;
  messages: Record<string, MessageSchema>;
  enums: Record<string, string[]>;
};

export const V1 = 'google.cloud.aiplatform.v1.';
export const schemaSource = schema.source;

export function messageSchema(type: string): MessageSchema {
  const message = schema.messages[type];
  if (!message) throw new Error(`schema has no message ${type}`);
  return message;
}

export function enumValues(type: string): string[] {
  const values = schema.enums[type];
  if (!values) throw new Error(`schema has no enum ${type}`);
  return values;
}

export function toSnakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Edit distance, for "did you mean" hints on misspelt keys. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/**
 * The hint for a key that is not in `known`: the snake_case key a camelCase one meant, a
 * close spelling, or the list of known keys.
 */
export function unknownKeyHint(key: string, known: readonly string[]): string {
  const snake = toSnakeCase(key);
  if (snake !== key && known.includes(snake)) {
    return `queue configs use snake_case keys: write "${snake}", not ${quoted(key)}`;
  }
  const close = known
    .map((k) => ({ k, d: editDistance(snake, k) }))
    .filter(({ d }) => d <= Math.max(1, Math.floor(snake.length / 4)))
    .sort((x, y) => x.d - y.d);
  if (close.length > 0) return `unknown key ${quoted(key)}: did you mean "${close[0].k}"?`;
  return `unknown key ${quoted(key)}; known keys: ${known.join(', ')}`;
}
