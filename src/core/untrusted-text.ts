// Text the action did not write (build output, job logs, Vertex error messages, W&B names and
// values), made into step-log lines that cannot act as workflow commands. Pure: the caller
// brings a fresh random token for each block.
//
// How the Actions runner reads a step's output (actions/runner: ProcessInvoker, OutputManager,
// ActionCommandManager, ActionCommand), and what answers each rule here:
// - A line ends at "\n", "\r" or "\r\n" (.NET StreamReader.ReadLine), so a bare "\r" starts a
//   new line for the runner though a terminal shows none. -> Split on all three first, so
//   every decision below is about the lines the runner will see.
// - Only a line that contains "::" or "##[" is offered to the command parser at all.
// - v2 form: after TrimStart, the line starts with "::"; the command name runs to the first
//   space or the next "::"; `k=v` properties follow, separated by ","; the rest is the data.
//   Names match case-insensitively. -> Inside a `::stop-commands::TOKEN` block the runner
//   runs no command until it sees a command named TOKEN (either form, any case).
// - The token is unguessable (a fresh random UUID per block) and the text was written before
//   the token existed, so it cannot end the block. The runner masks the token in the log.
// - Legacy form: "##[" ANYWHERE in the line (the first occurrence counts), the name up to
//   "]", properties separated by ";". The web log also shows `##[error]`, `##[group]`, ...
//   at a line's start as its own markup. -> Every "##[" becomes "##[\" (the runner escapes
//   its own `##[start-action` markers this way): a name starting with "\" is never a command,
//   and the legacy form could otherwise resume a block with `##[TOKEN]`.
// - The parser's IndexOf/StartsWith are culture-sensitive, but the name is read at a fixed
//   offset from the match, so only a literal "::" at the line's start (or "##[") can name a
//   command: a line without "::" is safe outside a block once "##[" is defused.

const LINE_BREAK = /\r\n|\r|\n/;

/** The lines the runner will see in `text`. */
export function runnerLines(text: string): string[] {
  return text.split(LINE_BREAK);
}

/** The legacy `##[name]` form, made inert anywhere in a line. */
export function defuseLegacyCommands(line: string): string {
  return line.replaceAll('##[', '##[\\');
}

/**
 * The lines to print for `texts`, with no workflow command left in them. `always`: inside a
 * stop-commands block whatever the text; `when-needed`: only when a line could be a command
 * (contains "::"), so ordinary messages print as they are.
 */
export function commandSafeLines(
  texts: readonly string[],
  token: string,
  wrap: 'always' | 'when-needed' = 'always',
): string[] {
  if (texts.length === 0) return [];
  const lines = texts.flatMap(runnerLines).map(defuseLegacyCommands);
  if (wrap === 'when-needed' && !lines.some((line) => line.includes('::'))) return lines;
  return [`::stop-commands::${token}`, ...lines, `::${token}::`];
}

/**
 * `value` as indented JSON that a runner reading it finds no command in: no line can start
 * with "::", and "##[" (only ever inside a string) is written `##\u005b`, the same JSON value.
 */
export function commandSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replaceAll('##[', '##\\u005b');
}
