// Markdown building blocks that keep user-controlled text (display names, error messages,
// image names, config values) from changing the document: no broken tables, no injected
// HTML, no @-mentions pinging people from a PR comment.

// Every ASCII punctuation character may be backslash-escaped in CommonMark; these are the
// ones that can open inline syntax (`|` splits GFM table cells). Text never starts a line
// here (cells, headings after a prefix), so block markers such as `#`, `-` or `1.` are inert.
const MARKDOWN_SPECIAL = /[\\`*_[\]|~]/g;

/** `&`, `<`, `>`, `"` as HTML entities. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function escapeInline(s: string): string {
  return escapeHtml(s.replace(MARKDOWN_SPECIAL, '\\$&')).replace(/\r?\n|\r/g, '<br>');
}

/** Plain text, safe in a table cell, a heading or a paragraph. */
export function text(s: string): string {
  // A zero-width space after `@` stops GitHub from turning `@name` into a mention.
  return escapeInline(s).replace(/@/g, '@\u200b');
}

/** Inline code, safe in a table cell (GitHub does not resolve mentions inside <code>). */
export function code(s: string): string {
  return `<code>${escapeInline(s)}</code>`;
}

/**
 * A link around already-rendered markdown when the URL is http(s), else the markdown alone;
 * characters that could end the URL early are percent-encoded.
 */
export function linkMarkdown(labelMarkdown: string, url: string | undefined): string {
  if (!url || !/^https?:\/\//i.test(url)) return labelMarkdown;
  const safe = url.replace(
    /[\s()<>|"\\`]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `[${labelMarkdown}](${safe})`;
}

/** A link with a plain-text label. */
export function link(label: string, url: string | undefined): string {
  return linkMarkdown(text(label), url);
}

/** The backtick fence for a code block holding `content`: longer than any backtick run in it. */
export function fenceFor(content: string): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((r) => r.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** A fenced code block that the content cannot close early. */
export function fenced(content: string, lang = ''): string {
  const fence = fenceFor(content);
  return `${fence}${lang}\n${content}\n${fence}`;
}

/** A two-column key/value table; rows whose value is undefined are left out. */
export function keyValueTable(rows: [string, string | undefined][]): string {
  const kept = rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '');
  if (kept.length === 0) return '';
  return ['| | |', '|---|---|', ...kept.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}

/** A table with a header row; cells must already be escaped. */
export function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

const encoder = new TextEncoder();

export function utf8Length(s: string): number {
  return encoder.encode(s).length;
}

/** The longest prefix of `s` that fits in `maxBytes` of UTF-8, never splitting a character. */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  const bytes = encoder.encode(s);
  if (bytes.length <= maxBytes) return s;
  let end = maxBytes;
  // Back up to the start of a character: continuation bytes look like 0b10xxxxxx.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

/** The longest prefix of `s` of at most `maxChars` UTF-16 units, never splitting a surrogate pair. */
export function truncateChars(s: string, maxChars: number): string {
  if (s.length <= maxChars) return s;
  let end = Math.max(0, maxChars);
  const last = s.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return s.slice(0, end);
}

/** `1h 2m 3s`, `4m 0s`, `12s`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${m}m ${s}s`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}
