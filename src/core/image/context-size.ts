// The build context's size limit for remote builds, and what to suggest when it is exceeded:
// the largest parts of the context that a .dockerignore line could drop. Pure.

/** Contexts above this (after .dockerignore) are not packed and uploaded. */
export const CONTEXT_SIZE_LIMIT = 500 * 1024 * 1024;

export interface SizedFile {
  /** Slash-separated path relative to the context. */
  path: string;
  size: number;
}

export interface Excludable {
  /** A file, or a directory with a trailing `/`. */
  path: string;
  size: number;
}

/** `612.4 MiB`. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(1)} ${units[unit]}`;
}

interface Node {
  size: number;
  children: Map<string, Node>;
  file: boolean;
}

/** One child holding this share of a directory's bytes stands for the directory. */
const DOMINANT = 0.9;

/**
 * The largest top-level parts of the context, each narrowed to the one subdirectory or file
 * that holds nearly all of its bytes (so a lone `project/` becomes `project/data/`). Files the
 * build always needs (`keep`: the Dockerfile, the ignore file) are never suggested.
 */
export function largestExcludable(files: SizedFile[], keep: string[], count = 5): Excludable[] {
  const root: Node = { size: 0, children: new Map(), file: false };
  for (const f of files) {
    if (keep.includes(f.path)) continue;
    let node = root;
    node.size += f.size;
    const parts = f.path.split('/');
    parts.forEach((part, i) => {
      let child = node.children.get(part);
      if (!child) {
        child = { size: 0, children: new Map(), file: i === parts.length - 1 };
        node.children.set(part, child);
      }
      child.size += f.size;
      node = child;
    });
  }
  const narrow = (path: string, node: Node): Excludable => {
    if (node.file) return { path, size: node.size };
    const biggest = [...node.children.entries()].sort((a, b) => b[1].size - a[1].size)[0];
    if (biggest && node.size > 0 && biggest[1].size >= DOMINANT * node.size)
      return narrow(`${path}${biggest[0]}${biggest[1].file ? '' : '/'}`, biggest[1]);
    return { path, size: node.size };
  };
  let top = root;
  let prefix = '';
  // A context that is one directory deep all the way down: look inside it.
  while (top.children.size === 1) {
    const [name, only] = [...top.children.entries()][0];
    if (only.file) break;
    prefix += `${name}/`;
    top = only;
  }
  return [...top.children.entries()]
    .map(([name, node]) => narrow(`${prefix}${name}${node.file ? '' : '/'}`, node))
    .filter((e) => e.size > 0)
    .sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : 1))
    .slice(0, count);
}

/** The error text for a context over the limit, naming what .dockerignore could drop. */
export function oversizeMessage(
  bytes: number,
  limit: number,
  suggestions: Excludable[],
  ignoreFile: string | undefined,
): string {
  const list = suggestions.map((s) => `${s.path} (${formatBytes(s.size)})`).join(', ');
  return (
    `the build context is ${formatBytes(bytes)}${ignoreFile ? ` after ${ignoreFile}` : ''}, over the ` +
    `${formatBytes(limit)} limit of builder: kaniko (the context is packed and uploaded to Cloud ` +
    `Storage for every change). ` +
    (list ? `Its largest parts: ${list}. ` : '') +
    `Exclude what the image does not need with lines in ${ignoreFile ?? '.dockerignore'} ` +
    `(e.g. \`${suggestions[0]?.path ?? 'data/'}\`), or point the context input at a smaller directory.`
  );
}
