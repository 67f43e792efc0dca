// Pages of a ListLogEntries answer: the entries as messages, and page tokens that hold the
// offset and the visibility of the first page (so that the pages of one query agree). Pages
// may overlap, as paging by timestamp does: each repeats the previous page's last entries.

import type { StoredEntry } from './service.ts';

type Obj = Record<string, unknown>;

function timestamp(ms: number): Obj {
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

export function toMessage(e: StoredEntry): Obj {
  return {
    logName: e.logName,
    resource: { type: e.resource.type, labels: e.resource.labels },
    timestamp: timestamp(e.timeMs),
    receiveTimestamp: timestamp(e.receiveMs),
    severity: e.severity,
    insertId: e.insertId,
    ...(e.json
      ? { jsonPayload: { fields: { message: { stringValue: e.text } } } }
      : { textPayload: e.text }),
  };
}

export function byTimestamp(a: StoredEntry, b: StoredEntry): number {
  return a.timeMs - b.timeMs || (a.insertId < b.insertId ? -1 : a.insertId > b.insertId ? 1 : 0);
}

export interface PageCursor {
  offset: number;
  /** Visibility as of the first page, so that the pages of one query agree. */
  asOf: number;
}

/** The cursor a page token holds; undefined when it is not one of ours. */
export function parsePageToken(token: string): PageCursor | undefined {
  try {
    const c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageCursor;
    return typeof c.offset === 'number' && typeof c.asOf === 'number' ? c : undefined;
  } catch {
    return undefined;
  }
}

/** The page at `cursor`, starting `overlap` entries early after the first, and the next token. */
export function pageOf(
  results: StoredEntry[],
  cursor: PageCursor,
  size: number,
  overlap: number,
): { page: StoredEntry[]; nextPageToken: string } {
  const back = cursor.offset > 0 ? Math.min(overlap, size - 1) : 0;
  const start = Math.max(0, cursor.offset - back);
  const page = results.slice(start, start + size);
  const end = start + page.length;
  const nextPageToken =
    end < results.length
      ? Buffer.from(JSON.stringify({ offset: end, asOf: cursor.asOf })).toString('base64url')
      : '';
  return { page, nextPageToken };
}
