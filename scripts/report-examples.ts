// Renders what users see on GitHub from real runs of the bundled action against the local
// Vertex AI, Cloud Logging, W&B and GitHub stand-ins (scripts/report-runs.ts): the job summary,
// check run and PR comment of a succeeding and a failing job, each compared with the base
// branch's run, and the PR comment of a three-leg matrix with one failed leg. Writes
// docs/examples/*.md and the README's example summary.
// Usage: node scripts/report-examples.ts [DIST_DIR]
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CheckRun } from '../emulators/github/emulator.ts';
import { checkRunPage, startReportWorld, type ReportRun } from './report-runs.ts';

const dist = resolve(process.argv[2] ?? 'dist');
const outDir = 'docs/examples';

/** Blocks of a page, each ending before a blank line: HTML (`</details>`) cannot run on. */
const page = (...blocks: string[]) => `${blocks.filter(Boolean).join('\n\n').trim()}\n`;

function checkRunDoc(checkRun: CheckRun): string {
  const annotations = checkRun.annotations.length
    ? `## Annotations\n\n\`\`\`json\n${JSON.stringify(checkRun.annotations, null, 2)}\n\`\`\``
    : '';
  return page(
    `# Check run: ${checkRun.name}`,
    `Status \`${checkRun.status}\`, conclusion \`${checkRun.conclusion}\`, on \`${checkRun.head_sha}\`.`,
    checkRunPage(checkRun),
    annotations,
  );
}

/**
 * The succeeded job's summary between the README's markers, without its folded blocks and
 * charts (docs/examples has them).
 */
async function showInReadme(summary: string): Promise<void> {
  const shown = summary
    .replace(/<details>[\s\S]*?<\/details>\s*/g, '')
    .replace(/```mermaid\n[\s\S]*?\n```\n\n[^\n]*\n\n/g, '')
    .trim();
  const readme = await readFile('README.md', 'utf8');
  const updated = readme.replace(
    /(<!-- example-summary -->\n)[\s\S]*?(<!-- \/example-summary -->)/,
    (_m, open: string, close: string) =>
      `${open}<!-- prettier-ignore-start -->\n> ${shown.split('\n').join('\n> ')}\n<!-- prettier-ignore-end -->\n${close}`,
  );
  await writeFile('README.md', updated);
}

// Jobs of a few seconds, as they read in a report.
const world = await startReportWorld(dist, 1500);
/** Links to the W&B stand-in read as they would against W&B itself. */
const shown = (markdown: string) => markdown.replaceAll(world.wandbUrl, 'https://wandb.ai');
const write = (name: string, markdown: string) =>
  writeFile(join(outDir, name), shown(markdown.trimEnd()) + '\n');

await mkdir(outDir, { recursive: true });
try {
  const runs: Record<string, ReportRun> = {
    succeeded: await world.run({ runId: '7301' }),
    failed: await world.run({ runId: '7302', fail: true }),
  };
  for (const [name, run] of Object.entries(runs)) {
    await write(`job-summary-${name}.md`, run.summary);
    await write(`check-run-${name}.md`, checkRunDoc(run.checkRun));
  }
  await write('pr-comment.md', runs.succeeded.comment);
  // The failing run's entry replaced the succeeding one's: the same leg, a later run.
  await write('pr-comment-failed.md', runs.failed.comment);
  let matrix: ReportRun | undefined;
  for (const [lr, fail] of [
    ['0.1', false],
    ['0.01', true],
    ['0.001', false],
  ] as const)
    matrix = await world.run({ runId: '7303', job: 'sweep', matrix: { lr }, fail });
  await write('pr-comment-matrix.md', matrix!.comment);
  await showInReadme(shown(runs.succeeded.summary));
  console.log(`wrote ${outDir}/`);
} finally {
  await world.close();
}
