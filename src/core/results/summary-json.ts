// A W&B run's `summaryMetrics` (and other JSONString fields) as the API sends them: JSON text
// written by Python, which spells non-finite floats as the bare tokens NaN, Infinity and
// -Infinity. JSON.parse refuses those, so they are turned into numbers here, outside strings.

export type SummaryValue =
  number | string | boolean | null | SummaryValue[] | { [key: string]: SummaryValue };
export type Summary = Record<string, SummaryValue>;

const NON_FINITE = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;
const MARK = '\u0000wbvl-nonfinite:';

/** The parsed object, or undefined when the text is not a JSON object. */
export function parseSummaryMetrics(text: string | null | undefined): Summary | undefined {
  if (!text) return {};
  // Bare tokens become marked strings, which a reviver turns back into numbers.
  const marked = text.replace(NON_FINITE, (token) =>
    token.startsWith('"') ? token : JSON.stringify(MARK + token),
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(marked, (_key, value: unknown) =>
      typeof value === 'string' && value.startsWith(MARK)
        ? Number(value.slice(MARK.length))
        : value,
    );
  } catch {
    return undefined;
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Summary)
    : undefined;
}

/** JSON for the `wandb-summary` output: non-finite numbers as the strings "NaN", "Infinity". */
export function summaryToJson(summary: Summary): string {
  return JSON.stringify(summary, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
  );
}

/** Past this, the `wandb-summary` output keeps the scalar metrics only (outputs share 1 MiB per job). */
export const SUMMARY_OUTPUT_MAX_CHARS = 256 * 1024;

/** The `wandb-summary` output: the whole summary, or its scalar entries when that is too large. */
export function summaryOutput(summary: Summary): string {
  const whole = summaryToJson(summary);
  if (whole.length <= SUMMARY_OUTPUT_MAX_CHARS) return whole;
  const scalars = Object.fromEntries(
    Object.entries(summary).filter(([, v]) => v === null || typeof v !== 'object'),
  );
  return summaryToJson(scalars);
}
