// Stage 1 of compiling a queue config: text -> a mapping with `spec` and `run` mappings, and
// the means to locate any later problem in the text. Structural problems stop here, since no
// later stage can read a document of the wrong shape.
import type { QueueConfigSource } from './source.ts';
import type { Problem } from '../errors.ts';
import { describeValue, isPlainObject } from './convert.ts';
import type { PathProblem } from './convert.ts';
import { unknownKeyHint } from './schema.ts';
import { parseQueueConfigText } from './source.ts';

export type Section = Record<string, unknown>;

export interface QueueConfigDocument {
  root: Section;
  spec: Section;
  run: Section;
  /** Path problems -> located problems, in file order (unlocated ones, from inputs, first). */
  locate(problems: PathProblem[]): Problem[];
}

export type ParseStageResult =
  { ok: true; document: QueueConfigDocument } | { ok: false; problems: Problem[] };

export function parseStage(source: QueueConfigSource): ParseStageResult {
  const file = source.origin;
  const parsed = parseQueueConfigText(source);
  if (parsed.problems.length > 0) return { ok: false, problems: parsed.problems };
  const locate = (problems: PathProblem[]): Problem[] =>
    problems
      .map((p): Problem => {
        if (source.unlocated) return { ...p, file };
        const pos = parsed.locate(p.path);
        return { ...p, file: pos ? file : undefined, line: pos?.line, column: pos?.column };
      })
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));

  const root = parsed.value;
  if (!isPlainObject(root)) {
    const message = `a queue config is a mapping with keys spec and run, got ${describeValue(root)}`;
    return { ok: false, problems: [{ file, message }] };
  }
  const out: PathProblem[] = [];
  for (const key of Object.keys(root)) {
    if (key !== 'spec' && key !== 'run')
      out.push({ path: key, message: unknownKeyHint(key, ['spec', 'run']) });
  }
  const spec = root.spec ?? {};
  const run = root.run ?? {};
  if (!isPlainObject(spec))
    out.push({ path: 'spec', message: `expected a mapping, got ${describeValue(spec)}` });
  if (!isPlainObject(run))
    out.push({ path: 'run', message: `expected a mapping, got ${describeValue(run)}` });
  if (out.length > 0 || !isPlainObject(spec) || !isPlainObject(run))
    return { ok: false, problems: locate(out) };
  return { ok: true, document: { root, spec, run, locate } };
}
