// How the W&B stand-in fills a queue config's `{{NAME}}` template variables before an agent
// sees the config: a string that is exactly one placeholder becomes the value itself (a number
// stays a number), a placeholder inside a longer string becomes its text. Unknown names stay.

const WHOLE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;
const PART = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function renderTemplate(value: unknown, values: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole && values[whole[1]] !== undefined) return values[whole[1]];
    return value.replace(PART, (text, name: string) =>
      values[name] !== undefined ? String(values[name]) : text,
    );
  }
  if (Array.isArray(value)) return value.map((v) => renderTemplate(v, values));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, renderTemplate(v, values)]),
    );
  }
  return value;
}
