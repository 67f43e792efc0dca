// The shape of src/, measured from the code itself: files and lines, import cycles, imports
// that run up the layers, files over the size limit and functions over the length limit.
//
//   npx node scripts/architecture.ts            prints the figures
//   npx node scripts/architecture.ts --check    exits 1 when a rule of CONTRIBUTING.md is broken
//
// The rules are those of the README's Development section; __tests__/architecture.test.ts
// asserts them with the same measurement.
//
// Layers, lowest first: core/ (pure), context.ts (the action's inputs), the adapters (one
// folder per service), phases/, and the entry points (main.ts, post.ts, cli/). An import may
// go down or sideways between adapters, never up.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const LIMITS = {
  fileLines: 300,
  functionLines: 80,
  longFunctionsAllowed: 2,
  /** Modules outside vertex/ that open Vertex AI (call connectVertex). */
  vertexConnectorsAllowed: 1,
};

export interface FunctionSize {
  file: string;
  name: string;
  line: number;
  lines: number;
}

export interface Architecture {
  files: number;
  lines: number;
  cycles: string[][];
  /** `line`: where `from` imports `to`. */
  upwardImports: { from: string; to: string; line: number }[];
  longFiles: { file: string; lines: number }[];
  longFunctions: FunctionSize[];
  /** The calls of connectVertex outside vertex/. */
  vertexConnections: { file: string; line: number }[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

export function layerOf(file: string): number {
  if (file.startsWith('core/')) return 0;
  if (file === 'context.ts') return 1;
  if (file.startsWith('phases/')) return 3;
  if (file === 'main.ts' || file === 'post.ts' || file.startsWith('cli/')) return 4;
  return 2;
}

interface Import {
  target: string;
  line: number;
}

function importsOf(source: ts.SourceFile, file: string, root: string): Import[] {
  const targets: Import[] = [];
  const visit = (node: ts.Node): void => {
    const spec =
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
        ? node.moduleSpecifier.text
        : undefined;
    if (spec?.startsWith('.')) {
      const target = relative(root, resolve(dirname(join(root, file)), spec)).replace(
        /\.js$/,
        '.ts',
      );
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      targets.push({ target, line });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return targets;
}

function functionName(node: ts.Node): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) {
    return node.parent.name.text;
  }
  if (ts.isPropertyAssignment(node.parent) && ts.isIdentifier(node.parent.name)) {
    return node.parent.name.text;
  }
  return '(anonymous)';
}

function functionsOf(source: ts.SourceFile, file: string): FunctionSize[] {
  const found: FunctionSize[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ file, name: functionName(node), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The lines of `source` that call a function named `name` (`name(...)` or `x.name(...)`). */
function callsOf(source: ts.SourceFile, name: string): number[] {
  const lines: number[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const called = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
      if (ts.isIdentifier(called) && called.text === name) {
        lines.push(source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return lines;
}

/** Strongly connected components of more than one file (Tarjan), each sorted. */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return cycles;
}

export function measure(root: string): Architecture {
  const imports = new Map<string, Import[]>();
  const longFiles: Architecture['longFiles'] = [];
  const functions: FunctionSize[] = [];
  const vertexConnections: Architecture['vertexConnections'] = [];
  let lines = 0;
  const files = sourceFiles(root);
  for (const path of files) {
    const file = relative(root, path);
    const text = readFileSync(path, 'utf8');
    const count = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    lines += count;
    if (count > LIMITS.fileLines) longFiles.push({ file, lines: count });
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    imports.set(file, importsOf(source, file, root));
    functions.push(...functionsOf(source, file));
    if (!file.startsWith('vertex/')) {
      for (const line of callsOf(source, 'connectVertex')) vertexConnections.push({ file, line });
    }
  }
  const graph = new Map([...imports].map(([file, list]) => [file, list.map((i) => i.target)]));
  const upwardImports = [...imports].flatMap(([from, list]) =>
    list
      .filter(({ target }) => layerOf(target) > layerOf(from))
      .map(({ target, line }) => ({ from, to: target, line })),
  );
  return {
    files: files.length,
    lines,
    cycles: cyclesOf(graph),
    upwardImports,
    longFiles: longFiles.sort((a, b) => b.lines - a.lines),
    longFunctions: functions
      .filter((f) => f.lines > LIMITS.functionLines)
      .sort((a, b) => b.lines - a.lines),
    vertexConnections,
  };
}

/** The modules outside vertex/ that call connectVertex. */
export function vertexConnectors(a: Architecture): string[] {
  return [...new Set(a.vertexConnections.map((c) => c.file))];
}

/** The rules CONTRIBUTING.md states, each broken one as a sentence. */
export function brokenRules(a: Architecture): string[] {
  const broken: string[] = [];
  for (const cycle of a.cycles) broken.push(`import cycle: ${cycle.join(' <-> ')}`);
  for (const { from, to } of a.upwardImports) broken.push(`upward import: ${from} -> ${to}`);
  for (const { file, lines } of a.longFiles) {
    broken.push(`${file}: ${lines} lines (limit ${LIMITS.fileLines})`);
  }
  if (a.longFunctions.length > LIMITS.longFunctionsAllowed) {
    const list = a.longFunctions.map((f) => `${f.file}:${f.line} ${f.name} (${f.lines})`);
    broken.push(
      `${a.longFunctions.length} functions over ${LIMITS.functionLines} lines (at most ${LIMITS.longFunctionsAllowed}): ${list.join(', ')}`,
    );
  }
  const connectors = vertexConnectors(a);
  if (connectors.length > LIMITS.vertexConnectorsAllowed) {
    const list = a.vertexConnections.map((c) => `${c.file}:${c.line}`);
    broken.push(
      `${connectors.length} modules outside vertex/ call connectVertex (at most ${LIMITS.vertexConnectorsAllowed}): ${list.join(', ')}`,
    );
  }
  return broken;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');
  const a = measure(root);
  console.log(`files ${a.files}, lines ${a.lines}`);
  console.log(`cycles ${a.cycles.length}`);
  for (const c of a.cycles) console.log(`  ${c.join(' <-> ')}`);
  console.log(`upward imports ${a.upwardImports.length}`);
  for (const u of a.upwardImports) console.log(`  ${u.from} -> ${u.to}`);
  console.log(`files over ${LIMITS.fileLines} lines ${a.longFiles.length}`);
  for (const f of a.longFiles) console.log(`  ${f.file} ${f.lines}`);
  console.log(`functions over ${LIMITS.functionLines} lines ${a.longFunctions.length}`);
  for (const f of a.longFunctions) console.log(`  ${f.file}:${f.line} ${f.name} ${f.lines}`);
  console.log(`modules calling connectVertex outside vertex/ ${vertexConnectors(a).length}`);
  for (const c of a.vertexConnections) console.log(`  ${c.file}:${c.line}`);
  if (process.argv.includes('--check')) {
    const broken = brokenRules(a);
    for (const b of broken) console.error(b);
    process.exitCode = broken.length > 0 ? 1 : 0;
  }
}
