// The shape of src/ as CONTRIBUTING.md and the README's Development section state it, measured
// the way `npx node scripts/architecture.ts` measures it. A failure names the offenders.
import { describe, expect, test } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { LIMITS, measure, vertexConnectors } from '../scripts/architecture.ts';

const SRC = fileURLToPath(new URL('../src', import.meta.url));
const shape = measure(SRC);

/** Fails with `rule` and one offender a line. */
function expectNone(rule: string, offenders: string[]): void {
  if (offenders.length > 0) {
    throw new Error(`${rule}, ${offenders.length} found:\n  ${offenders.join('\n  ')}`);
  }
  expect(offenders).toEqual([]);
}

describe('src/ architecture', () => {
  test('no import cycle', () => {
    expectNone(
      'an import cycle (its members)',
      shape.cycles.map((members) => members.join(' <-> ')),
    );
  });

  test('core/ imports nothing outside core/', () => {
    // Every other layer stands above core/, so any import out of it runs upward.
    expectNone(
      'an import out of core/',
      shape.upwardImports
        .filter((i) => i.from.startsWith('core/'))
        .map((i) => `${i.from}:${i.line} -> ${i.to}`),
    );
  });

  test('no import runs up the layers: adapters do not import phases/, main.ts, post.ts or cli/', () => {
    expectNone(
      'an upward import',
      shape.upwardImports
        .filter((i) => !i.from.startsWith('core/'))
        .map((i) => `${i.from}:${i.line} -> ${i.to}`),
    );
  });

  test(`no file over ${LIMITS.fileLines} lines`, () => {
    expectNone(
      `a file over ${LIMITS.fileLines} lines`,
      shape.longFiles.map((f) => `${f.file}: ${f.lines} lines`),
    );
  });

  test(`at most ${LIMITS.longFunctionsAllowed} functions over ${LIMITS.functionLines} lines`, () => {
    const long = shape.longFunctions.map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`);
    expectNone(
      `more than ${LIMITS.longFunctionsAllowed} functions over ${LIMITS.functionLines} lines`,
      long.length > LIMITS.longFunctionsAllowed ? long : [],
    );
  });

  test(`outside src/vertex/, at most ${LIMITS.vertexConnectorsAllowed} module calls connectVertex`, () => {
    const calls = shape.vertexConnections.map((c) => `${c.file}:${c.line}`);
    expectNone(
      `more than ${LIMITS.vertexConnectorsAllowed} module outside vertex/ calls connectVertex (the calls)`,
      vertexConnectors(shape).length > LIMITS.vertexConnectorsAllowed ? calls : [],
    );
  });
});
