// Parses a queue config (YAML or JSON: JSON is read by the YAML parser too) into a plain value
// plus a map from config paths to file positions, so every later error can name its line.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import type { Problem } from '../errors.ts';
import { cutShort } from '../quote.ts';
import { errorMessage } from '../errors.ts';

export interface QueueConfigSource {
  /** The YAML or JSON text of the queue config. */
  text: string;
  /** Where it came from: a workspace-relative file path, or `<inline>`. Used in error locations. */
  origin: string;
  /**
   * The text was written from a config stored elsewhere (a W&B queue's): its lines mean nothing
   * to the user, so problems name the origin without a line.
   */
  unlocated?: boolean;
}

export interface Position {
  line: number;
  column: number;
}

export interface ParsedQueueConfig {
  value: unknown;
  /** Position of the entry at `path` (its key for map entries), when the text had one. */
  locate(path: string): Position | undefined;
  problems: Problem[];
}

/** `spec.worker_pool_specs[0].machine_spec` from path segments. */
export function joinPath(parent: string, segment: string | number): string {
  if (typeof segment === 'number') return `${parent}[${segment}]`;
  return parent ? `${parent}.${segment}` : segment;
}

export function parseQueueConfigText(source: QueueConfigSource): ParsedQueueConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const positions = new Map<string, Position>();
  const at = (offset: number | undefined): Position | undefined => {
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const file = source.origin;

  const problems: Problem[] = [...doc.errors, ...doc.warnings].map((e) => {
    const pos = at(e.pos[0]);
    const firstLine = e.message.split('\n')[0];
    return {
      file,
      line: pos?.line,
      column: pos?.column,
      message: `not valid YAML or JSON: ${cutShort(firstLine, 200)}`,
    };
  });

  const walk = (node: unknown, path: string): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const childPath = joinPath(path, key);
        const keyNode = pair.key as Node | null;
        const pos = at(keyNode?.range?.[0]);
        if (pos) positions.set(childPath, pos);
        walk(pair.value, childPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const childPath = joinPath(path, index);
        const pos = at((item as Node | null)?.range?.[0]);
        if (pos) positions.set(childPath, pos);
        walk(item, childPath);
      });
    } else if (isAlias(node)) {
      // Aliases resolve to their anchor's value; positions stay at the alias.
    }
  };
  walk(doc.contents, '');

  let value: unknown = undefined;
  if (problems.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      problems.push({
        file,
        message: `not valid YAML or JSON: ${cutShort(errorMessage(err), 200)}`,
      });
    }
  }

  return {
    value,
    problems,
    locate(path: string) {
      // Fall back to the nearest located ancestor, so a missing key points at its parent.
      for (let p = path; p; p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '')) {
        const pos = positions.get(p);
        if (pos) return pos;
        if (!/(\.[^.[\]]+|\[\d+\])$/.test(p)) break;
      }
      return undefined;
    },
  };
}
