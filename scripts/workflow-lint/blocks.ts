// The workflow YAML that documentation shows users: fenced ```yaml blocks that are a whole
// workflow (a top-level `jobs:` key) or a list of steps (each with `uses:` or `run:`). Other
// YAML blocks (queue configs, a `permissions:` excerpt) are not workflows and are left alone.
import { parse } from 'yaml';

export interface YamlBlock {
  /** 1-based line of the block's first content line in the Markdown file. */
  line: number;
  text: string;
}

export interface WorkflowBlock extends YamlBlock {
  kind: 'workflow' | 'steps';
}

/** A workflow document to lint, and how its positions map back to the block. */
export interface LintableBlock {
  text: string;
  /** Block line = document line - lineShift; block column = document column - columnShift. */
  lineShift: number;
  columnShift: number;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;

export function yamlBlocks(markdown: string): YamlBlock[] {
  const lines = markdown.split('\n');
  const blocks: YamlBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = lines[j].trimStart();
      if (close.startsWith(fence) && close.slice(fence.length).trim() === '') break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
    }
    if (/^ya?ml$/i.test(lang)) blocks.push({ line: i + 2, text: body.join('\n') + '\n' });
    i = j;
  }
  return blocks;
}

function isStepList(text: string): boolean {
  try {
    const value = parse(text) as unknown;
    return (
      Array.isArray(value) &&
      value.length > 0 &&
      value.every(
        (step) => typeof step === 'object' && step !== null && ('uses' in step || 'run' in step),
      )
    );
  } catch {
    // A broken list of steps still starts like one: let actionlint say what is wrong.
    return text.trimStart().startsWith('-') && /^- (uses|run|name|id)\s*:/m.test(text);
  }
}

export function workflowBlocks(markdown: string): WorkflowBlock[] {
  const found: WorkflowBlock[] = [];
  for (const block of yamlBlocks(markdown)) {
    // By text, not by parsing: a block broken beyond parsing is still linted (and reported).
    if (/^jobs\s*:/m.test(block.text)) found.push({ ...block, kind: 'workflow' });
    else if (isStepList(block.text)) found.push({ ...block, kind: 'steps' });
  }
  return found;
}

const STEPS_PREFIX = [
  'on: workflow_dispatch',
  'jobs:',
  '  steps-from-the-docs:',
  '    runs-on: ubuntu-latest',
  '    steps:',
];
const STEPS_INDENT = 6;

/** A steps block becomes the steps of a one-job workflow, so actionlint can check it. */
export function lintable(block: WorkflowBlock): LintableBlock {
  if (block.kind === 'workflow') return { text: block.text, lineShift: 0, columnShift: 0 };
  const indented = block.text
    .split('\n')
    .map((l) => (l ? ' '.repeat(STEPS_INDENT) + l : l))
    .join('\n');
  return {
    text: `${STEPS_PREFIX.join('\n')}\n${indented}`,
    lineShift: STEPS_PREFIX.length,
    columnShift: STEPS_INDENT,
  };
}
