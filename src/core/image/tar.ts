// Tar records for a reproducible build-context archive (POSIX ustar, with a pax extended
// header for names or link targets that do not fit). Pure: bytes in, bytes out.
//
// Reproducible means the same entries give the same bytes: no times (mtime 0), no owners
// (uid/gid 0, no names), only the permission bits, entries in the caller's (sorted) order.

export type TarEntryType = 'file' | 'dir' | 'symlink';

export interface TarEntry {
  /** Slash-separated path relative to the archive root, without a trailing slash. */
  path: string;
  type: TarEntryType;
  /** Permission bits (mode & 0o7777). */
  mode: number;
  /** Content length; 0 for directories and symlinks. */
  size: number;
  linkTarget?: string;
}

export const BLOCK = 512;
/** The end of an archive: two zero blocks. */
export const TAR_END = Buffer.alloc(BLOCK * 2);

const TYPEFLAG: Record<TarEntryType, string> = { file: '0', dir: '5', symlink: '2' };
/** ustar's size field holds 11 octal digits: 8 GiB - 1. */
const MAX_USTAR_SIZE = 0o77777777777;

/** A header with the fields every entry shares: no owner, time 0, ustar magic, blank checksum. */
const TEMPLATE = (() => {
  const h = Buffer.alloc(BLOCK);
  h.write('0000000\0', 108, 'ascii'); // uid
  h.write('0000000\0', 116, 'ascii'); // gid
  h.write('00000000000\0', 136, 'ascii'); // mtime
  h.write('        ', 148, 'ascii'); // checksum placeholder: eight spaces
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  return h;
})();

/** Zero-padded octal digits and a NUL, `width` bytes in all. */
function putOctal(h: Buffer, offset: number, width: number, value: number): void {
  const digits = value.toString(8).padStart(width - 1, '0');
  for (let i = 0; i < width - 1; i++) h[offset + i] = digits.charCodeAt(i);
  h[offset + width - 1] = 0;
}

function ustar(name: string, typeflag: string, mode: number, size: number, link = ''): Buffer {
  const h = Buffer.allocUnsafe(BLOCK);
  TEMPLATE.copy(h);
  h.write(name, 0, 100, 'utf8');
  putOctal(h, 100, 8, mode);
  putOctal(h, 124, 12, size);
  h[156] = typeflag.charCodeAt(0);
  if (link) h.write(link, 157, 100, 'utf8');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i];
  putOctal(h, 148, 7, sum);
  h[155] = 0x20;
  return h;
}

/** One pax record: `LEN key=value\n`, LEN counting the whole record including itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len++;
  return `${len}${body}`;
}

const ZEROS = Buffer.alloc(BLOCK);

/** The zeros that fill a content's last block (a shared, never written buffer). */
export function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return ZEROS.subarray(0, rest === 0 ? 0 : BLOCK - rest);
}

/** The header block(s) of an entry; the caller writes the content and `padding(size)` after. */
export function tarHeader(entry: TarEntry): Buffer {
  if (entry.size > MAX_USTAR_SIZE) throw new Error(`${entry.path}: too large for a tar entry`);
  const name = entry.type === 'dir' ? `${entry.path}/` : entry.path;
  const link = entry.linkTarget ?? '';
  const fits = (s: string) => Buffer.byteLength(s) <= 100 && /^[\x20-\x7e]*$/.test(s);
  const records: string[] = [];
  if (!fits(name)) records.push(paxRecord('path', name));
  if (!fits(link)) records.push(paxRecord('linkpath', link));
  const main = ustar(
    fits(name) ? name : name.slice(0, 99),
    TYPEFLAG[entry.type],
    entry.mode & 0o7777,
    entry.type === 'file' ? entry.size : 0,
    fits(link) ? link : '',
  );
  if (records.length === 0) return main;
  const pax = Buffer.from(records.join(''), 'utf8');
  return Buffer.concat([
    ustar('PaxHeader', 'x', 0o644, pax.length),
    pax,
    padding(pax.length),
    main,
  ]);
}
