// Long values in report tables, shortened so a table never runs past the page: a digest as
// `sha256:9f2c4e6a…`, an image with its digest cut the same way, the full value in the cell's
// title (shown on hover; GitHub keeps `title` on any element). Machine types never wrap.
import { code, escapeHtml } from './format.ts';

/** Hex digits of a digest that a table shows: enough to tell two images apart at a glance. */
export const SHOWN_DIGEST_HEX = 8;
/** Longest value a table cell shows in full; longer ones keep their end. */
export const MAX_CELL_CHARS = 80;

const DIGEST = /(sha256:)([0-9a-f]{16,})/gi;

/** `sha256:9f2c4e6a…` for a digest, wherever one appears in the value. */
export function shortDigests(value: string): string {
  return value.replace(DIGEST, (_m, algo: string, hex: string) =>
    hex.length > SHOWN_DIGEST_HEX ? `${algo}${hex.slice(0, SHOWN_DIGEST_HEX)}…` : `${algo}${hex}`,
  );
}

/** The value as a table shows it: digests cut, and at most MAX_CELL_CHARS (the end kept). */
export function shortValue(value: string): string {
  const short = shortDigests(value);
  return short.length > MAX_CELL_CHARS ? `…${short.slice(-(MAX_CELL_CHARS - 1))}` : short;
}

/**
 * Inline code for a table cell: the short form, the whole value in its title when they differ.
 * `|` in the title is an entity, so it cannot split the table row.
 */
export function shortCode(value: string): string {
  const short = shortValue(value);
  if (short === value) return code(value);
  const title = escapeHtml(value).replace(/\|/g, '&#124;');
  return code(short).replace(/^<code>/, `<code title="${title}">`);
}

/**
 * A machine type that never wraps inside a narrow column: a word joiner (U+2060, zero width,
 * never drawn) after each hyphen takes away the line break the hyphen allows.
 */
export function machineCode(machineType: string): string {
  return code(machineType.replace(/-/g, '-\u2060'));
}
