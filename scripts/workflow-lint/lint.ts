// Lints every workflow of the repository: .github/workflows/*, and the workflow blocks of the
// Markdown that users copy from (the top-level *.md files and docs/).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { actionlint } from './actionlint.ts';
import { lintable, workflowBlocks } from './blocks.ts';
import { checkActionSteps, readActionInterface } from './local-action.ts';
import type { ActionInterface } from './local-action.ts';

export interface Finding {
  file: string;
  line: number;
  column: number;
  message: string;
  kind: string;
}

export interface LintReport {
  findings: Finding[];
  workflows: number;
  blocks: number;
}

export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`;
}

async function lintDocument(
  text: string,
  file: string,
  action: ActionInterface,
): Promise<Omit<Finding, 'file'>[]> {
  const own = checkActionSteps(text, action).map((p) => ({ ...p, kind: 'action-yml' }));
  return [...(await actionlint(text, file)), ...own];
}

function files(dir: string, pattern: RegExp, recursive: boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive })
    .filter((e) => e.isFile() && pattern.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

export function documentationFiles(root: string): string[] {
  return [...files(root, /\.md$/i, false), ...files(join(root, 'docs'), /\.md$/i, true)];
}

export async function lintRepository(root: string): Promise<LintReport> {
  const action = readActionInterface(readFileSync(join(root, 'action.yml'), 'utf8'));
  const findings: Finding[] = [];
  const workflows = files(join(root, '.github', 'workflows'), /\.ya?ml$/, false);
  for (const path of workflows) {
    const file = relative(root, path);
    const results = await lintDocument(readFileSync(path, 'utf8'), file, action);
    findings.push(...results.map((r) => ({ ...r, file })));
  }
  let blocks = 0;
  for (const path of documentationFiles(root)) {
    const file = relative(root, path);
    for (const block of workflowBlocks(readFileSync(path, 'utf8'))) {
      blocks++;
      const doc = lintable(block);
      for (const r of await lintDocument(doc.text, file, action)) {
        findings.push({
          ...r,
          file,
          line: block.line + r.line - 1 - doc.lineShift,
          column: Math.max(1, r.column - doc.columnShift),
        });
      }
    }
  }
  return { findings, workflows: workflows.length, blocks };
}
