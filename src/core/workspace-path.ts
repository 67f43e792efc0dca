// Where a path lies, as text: no file system access.
import path from 'node:path';

/** Whether `child` is `parent` or lies under it (both absolute). */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
