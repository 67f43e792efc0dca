// Stage 2: checks of the document as written, before any template is substituted: every key
// is one this action knows (or says why it does not apply), and no <REQUIRED> placeholder of
// W&B's queue template is left in.
import { isPlainObject } from './convert.ts';
import type { PathProblem } from './convert.ts';
import { NOT_APPLICABLE, RUN_KEYS, SPEC_KEYS } from './keys.ts';
import { unknownKeyHint } from './schema.ts';
import type { QueueConfigDocument, Section } from './stage-parse.ts';

export function checkStage(document: QueueConfigDocument, out: PathProblem[]): void {
  checkSectionKeys(document.spec, 'spec', SPEC_KEYS, out);
  checkSectionKeys(document.run, 'run', RUN_KEYS, out);
  findPlaceholders(document.root, '', out);
}

function checkSectionKeys(
  section: Section,
  name: 'spec' | 'run',
  known: readonly string[],
  out: PathProblem[],
): void {
  for (const key of Object.keys(section)) {
    const path = `${name}.${key}`;
    if (NOT_APPLICABLE[path]) out.push({ path, message: NOT_APPLICABLE[path] });
    else if (!known.includes(key)) out.push({ path, message: unknownKeyHint(key, known) });
  }
}

function findPlaceholders(value: unknown, path: string, out: PathProblem[]): void {
  if (typeof value === 'string' && value.includes('<REQUIRED>')) {
    out.push({ path, message: 'still the <REQUIRED> placeholder: fill in a value' });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => findPlaceholders(v, `${path}[${i}]`, out));
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) findPlaceholders(v, path ? `${path}.${k}` : k, out);
  }
}
