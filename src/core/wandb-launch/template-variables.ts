// A W&B Launch queue's template variables: `{{NAME}}` placeholders in its config, each with a
// schema (type, enum, minimum, maximum, default) stored beside the config. The values of the
// `template-variables` input are checked against their schemas, every problem at once, before
// anything is called; then the placeholders are filled in string leaves only, so a value never
// changes the document's structure. A string that is exactly one placeholder takes the value's
// type (`"{{gpu_count}}"` becomes the integer 2), as W&B's server fills them.
import type { Problem } from '../errors.ts';
import { joinPath } from '../queue-config/source.ts';

export interface VariableSchema {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

export interface TemplateVariable {
  name: string;
  schema: VariableSchema;
}

export type TemplateValue = string | number | boolean;

const INPUT = 'template-variables';

/** The stored variables; a schema may come as JSON text (W&B's JSONString) or as an object. */
export function parseTemplateVariables(
  stored: { name: string; schema: unknown }[],
  where: string,
): { variables: TemplateVariable[]; problems: Problem[] } {
  const variables: TemplateVariable[] = [];
  const problems: Problem[] = [];
  for (const { name, schema } of stored) {
    let value: unknown = schema;
    try {
      if (typeof schema === 'string') value = JSON.parse(schema);
    } catch {
      value = undefined;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push({
        file: where,
        message: `template variable ${name}: its schema is not a JSON object`,
      });
    } else {
      variables.push({ name, schema: value as VariableSchema });
    }
  }
  return { variables, problems };
}

/** What the variable allows, for messages: `an integer from 0 to 8`, `one of "a", "b"`. */
export function describeSchema(schema: VariableSchema): string {
  if (Array.isArray(schema.enum))
    return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const kind =
    schema.type === 'integer' ? 'an integer' : schema.type === 'number' ? 'a number' : 'a string';
  const { minimum: min, maximum: max } = schema;
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (min !== undefined) return `${kind} of at least ${min}`;
  if (max !== undefined) return `${kind} of at most ${max}`;
  return kind;
}

function convert(text: string, schema: VariableSchema): TemplateValue | undefined {
  if (schema.type === 'integer') return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
  if (schema.type === 'number') {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) ? n : undefined;
  }
  if (schema.type === 'boolean')
    return text === 'true' ? true : text === 'false' ? false : undefined;
  return text;
}

function allowed(value: unknown, schema: VariableSchema): boolean {
  if (Array.isArray(schema.enum) && !schema.enum.some((v) => v === value)) return false;
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return false;
    if (schema.maximum !== undefined && value > schema.maximum) return false;
  }
  return true;
}

/**
 * The value of every variable: the input's, converted to the schema's type, else the schema's
 * default. An unknown name, a value out of its schema and a variable with neither a value nor
 * a default are each a problem naming the variable and what it allows.
 */
export function templateValues(
  variables: TemplateVariable[],
  given: Record<string, string>,
  where: string,
): { values: Record<string, TemplateValue>; problems: Problem[] } {
  const values: Record<string, TemplateValue> = {};
  const problems: Problem[] = [];
  const byName = new Map(variables.map((v) => [v.name, v]));
  for (const name of Object.keys(given)) {
    if (byName.has(name)) continue;
    const known = variables.map((v) => `${v.name} (${describeSchema(v.schema)})`).join(', ');
    problems.push({
      path: INPUT,
      message: `${name} is not a template variable of ${where}; ${known ? `it has: ${known}` : 'it has none'}`,
    });
  }
  for (const { name, schema } of variables) {
    const text = given[name];
    if (text === undefined) {
      if (schema.default !== undefined && allowed(schema.default, schema)) {
        values[name] = schema.default as TemplateValue;
      } else {
        problems.push({
          path: INPUT,
          message: `${name} has no value and ${where} gives it no default: set ${name}=VALUE (${describeSchema(schema)})`,
        });
      }
      continue;
    }
    const value = convert(text, schema);
    if (value === undefined || !allowed(value, schema)) {
      const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
      problems.push({
        path: INPUT,
        message: `${name}=${shown} is not allowed: ${name} takes ${describeSchema(schema)}`,
      });
    } else {
      values[name] = value;
    }
  }
  return { values, problems };
}

const WHOLE = /^\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}$/;
const PART = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

/** A copy of `value` with every `{{NAME}}` in a string leaf filled; keys are left alone. */
export function fillTemplateVariables(
  value: unknown,
  values: Readonly<Record<string, TemplateValue>>,
): { value: unknown; unknown: { path: string; name: string }[] } {
  const unknown: { path: string; name: string }[] = [];
  const visit = (node: unknown, at: string): unknown => {
    if (typeof node === 'string') {
      const whole = WHOLE.exec(node);
      if (whole && Object.hasOwn(values, whole[1])) return values[whole[1]];
      return node.replace(PART, (text, name: string) => {
        if (Object.hasOwn(values, name)) return String(values[name]);
        unknown.push({ path: at, name });
        return text;
      });
    }
    if (Array.isArray(node)) return node.map((item, i) => visit(item, joinPath(at, i)));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node).map(([k, v]) => [k, visit(v, joinPath(at, k))]),
      );
    }
    return node;
  };
  return { value: visit(value, ''), unknown };
}
