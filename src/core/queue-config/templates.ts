// `${name}` substitution on string leaves only. It runs on the parsed value, never on the
// text, so a substituted value can never change the document's structure. `$${` writes a
// literal `${`.
import { joinPath } from './source.ts';

export interface TemplateIssue {
  path: string;
  name: string;
}

const PATTERN = /\$(\$?)\{([^}]*)\}/g;

export function substituteString(
  text: string,
  values: Readonly<Record<string, string>>,
  onUnknown: (name: string) => void,
  onUse?: (name: string) => void,
): string {
  return text.replace(PATTERN, (whole, escaped: string, rawName: string) => {
    if (escaped) return whole.slice(1);
    const name = rawName.trim();
    if (Object.hasOwn(values, name)) {
      onUse?.(name);
      return values[name];
    }
    onUnknown(name);
    return whole;
  });
}

/** A copy of `value` with every string leaf substituted; keys are left alone. */
export function substituteTemplates(
  value: unknown,
  values: Readonly<Record<string, string>>,
  path = '',
): { value: unknown; unknown: TemplateIssue[]; used: Set<string> } {
  const unknown: TemplateIssue[] = [];
  const used = new Set<string>();
  const visit = (node: unknown, at: string): unknown => {
    if (typeof node === 'string') {
      return substituteString(
        node,
        values,
        (name) => unknown.push({ path: at, name }),
        (name) => used.add(name),
      );
    }
    if (Array.isArray(node)) return node.map((item, i) => visit(item, joinPath(at, i)));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node).map(([k, v]) => [k, visit(v, joinPath(at, k))]),
      );
    }
    return node;
  };
  return { value: visit(value, path), unknown, used };
}
