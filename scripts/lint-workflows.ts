// `npm run lint` part: actionlint on .github/workflows and on every workflow block of the
// README and docs, plus this action's own inputs and outputs in the steps that use it.
//   node scripts/lint-workflows.ts [--root DIR]
// Prints FILE:LINE:COLUMN: MESSAGE [KIND] per problem and exits 1 when there is any.
import { parseArgs } from 'node:util';
import { formatFinding, lintRepository } from './workflow-lint/lint.ts';

const { values } = parseArgs({ options: { root: { type: 'string', default: '.' } } });
const report = await lintRepository(values.root);
for (const finding of report.findings) console.log(formatFinding(finding));
const scope = `${report.workflows} workflow files and ${report.blocks} workflow blocks in the docs`;
if (report.findings.length > 0) {
  console.error(`actionlint: ${report.findings.length} problem(s) in ${scope}`);
  process.exit(1);
}
console.log(`actionlint: no problems in ${scope}`);
