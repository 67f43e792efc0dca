// Writes the inputs and outputs tables of README.md from action.yml (between the
// `<!-- inputs -->`/`<!-- outputs -->` markers). `--check` fails when README.md is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

interface ActionSpec {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function readmeTables(actionYml: string): { inputs: string; outputs: string } {
  const spec = parse(actionYml) as ActionSpec;
  const inputs = [
    '| input | required | default | description |',
    '|---|---|---|---|',
    ...Object.entries(spec.inputs).map(
      ([name, i]) =>
        `| \`${name}\` | ${i.required ? 'yes' : 'no'} | ${i.default !== undefined ? `\`${cell(String(i.default))}\`` : ''} | ${cell(i.description)} |`,
    ),
  ].join('\n');
  const outputs = [
    '| output | description |',
    '|---|---|',
    ...Object.entries(spec.outputs).map(([name, o]) => `| \`${name}\` | ${cell(o.description)} |`),
  ].join('\n');
  return { inputs, outputs };
}

export function withTables(readme: string, tables: { inputs: string; outputs: string }): string {
  let text = readme;
  for (const [name, table] of Object.entries(tables)) {
    const pattern = new RegExp(`(<!-- ${name} -->\\n)[\\s\\S]*?(<!-- /${name} -->)`);
    if (!pattern.test(text)) throw new Error(`README.md has no <!-- ${name} --> section`);
    text = text.replace(pattern, (_m, open: string, close: string) => `${open}${table}\n${close}`);
  }
  return text;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const readme = readFileSync('README.md', 'utf8');
  const updated = withTables(readme, readmeTables(readFileSync('action.yml', 'utf8')));
  if (process.argv.includes('--check')) {
    if (updated !== readme) {
      console.error('README.md tables differ from action.yml: run node scripts/readme-tables.ts');
      process.exit(1);
    }
  } else {
    writeFileSync('README.md', updated);
  }
}
