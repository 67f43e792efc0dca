// Reads a step's stdout the way the GitHub Actions runner does (actions/runner:
// ProcessInvoker reads lines with .NET ReadLine; OutputManager offers lines containing "::" or
// "##[" to ActionCommandManager; ActionCommand.TryParseV2, then the legacy TryParse), and
// reports the workflow commands that took effect: state, outputs, masks, annotations and the
// rest. A judge for tests: the code under test is never asked what it meant to print.

/** Commands the runner registers (ActionCommandManager's extensions, plus stop-commands). */
const REGISTERED = [
  'set-env',
  'set-output',
  'save-state',
  'add-mask',
  'add-path',
  'add-matcher',
  'remove-matcher',
  'debug',
  'warning',
  'error',
  'notice',
  'group',
  'endgroup',
  'echo',
  'stop-commands',
];

export interface RunnerCommand {
  /** Lower-cased (the runner matches names case-insensitively). */
  command: string;
  properties: Record<string, string>;
  data: string;
  form: 'v2' | 'legacy';
  /** The line as the runner read it. */
  line: string;
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  properties: Record<string, string>;
  message: string;
}

export interface RunnerView {
  /** Every command that took effect, in order (stop-commands and its resume included). */
  commands: RunnerCommand[];
  /** save-state by name (lower-cased: the runner's state is case-insensitive). */
  state: Record<string, string>;
  outputs: Record<string, string>;
  env: Record<string, string>;
  masks: string[];
  annotations: Annotation[];
  /** Lines that were printed while commands were stopped. */
  stoppedLines: number;
  /** Whether commands were still stopped when the output ended. */
  endsStopped: boolean;
}

/** .NET char.IsWhiteSpace, which String.TrimStart removes. */
const DOTNET_LEADING_SPACE =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

function unescape(text: string, pairs: Array<[string, string]>): string {
  return pairs.reduce((t, [escaped, plain]) => t.split(escaped).join(plain), text);
}
const DATA_ESCAPES: Array<[string, string]> = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%25', '%'],
];
const PROPERTY_ESCAPES: Array<[string, string]> = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%3A', ':'],
  ['%2C', ','],
  ['%25', '%'],
];
const LEGACY_ESCAPES: Array<[string, string]> = [
  ['%3B', ';'],
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%5D', ']'],
  ['%25', '%'],
];

/** "k=v" pairs as .NET's Split('=', 2, RemoveEmptyEntries) leaves them. */
function properties(parts: string[], escapes: Array<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of parts.filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1).replace(/^=+/, '');
    if (key !== '' && value !== '') out[key] = unescape(value, escapes);
  }
  return out;
}

function parseV2(line: string, registered: Set<string>): RunnerCommand | undefined {
  const message = line.replace(DOTNET_LEADING_SPACE, '');
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const name = (space < 0 ? info : info.slice(0, space)).toLowerCase();
  if (!registered.has(name)) return undefined;
  const props =
    space > 0
      ? properties(
          info
            .slice(space + 1)
            .trim()
            .split(','),
          PROPERTY_ESCAPES,
        )
      : {};
  const data = unescape(message.slice(end + 2), DATA_ESCAPES);
  return { command: name, properties: props, data, form: 'v2', line };
}

function parseLegacy(line: string, registered: Set<string>): RunnerCommand | undefined {
  const start = line.indexOf('##[');
  if (start < 0) return undefined;
  const close = line.indexOf(']', start);
  if (close < 0) return undefined;
  const info = line.slice(start + 3, close);
  const space = info.indexOf(' ');
  const name = (space < 0 ? info : info.slice(0, space)).toLowerCase();
  if (!registered.has(name)) return undefined;
  const props = space > 0 ? properties(info.slice(space + 1).split(';'), LEGACY_ESCAPES) : {};
  const data = unescape(line.slice(close + 1), LEGACY_ESCAPES);
  return { command: name, properties: props, data, form: 'legacy', line };
}

/** What the runner makes of `stdout`. */
export function readAsRunner(stdout: string): RunnerView {
  const view: RunnerView = {
    commands: [],
    state: {},
    outputs: {},
    env: {},
    masks: [],
    annotations: [],
    stoppedLines: 0,
    endsStopped: false,
  };
  const registered = new Set(REGISTERED);
  let stopToken: string | undefined;
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    if (stopToken !== undefined) view.stoppedLines++;
    if (!line.includes('::') && !line.includes('##[')) continue;
    const cmd = parseV2(line, registered) ?? parseLegacy(line, registered);
    if (!cmd) continue;
    if (stopToken !== undefined) {
      if (cmd.command !== stopToken) continue;
      registered.delete(stopToken);
      stopToken = undefined;
      view.commands.push(cmd);
      continue;
    }
    if (cmd.command === 'stop-commands') {
      const token = cmd.data.toLowerCase();
      // The runner refuses an empty or registered token (and `pause-logging`).
      if (token === '' || token === 'pause-logging' || registered.has(token)) continue;
      stopToken = token;
      registered.add(token);
      view.commands.push(cmd);
      continue;
    }
    view.commands.push(cmd);
    apply(view, cmd);
  }
  view.endsStopped = stopToken !== undefined;
  return view;
}

function apply(view: RunnerView, cmd: RunnerCommand): void {
  const name = cmd.properties.name ?? '';
  switch (cmd.command) {
    case 'save-state':
      if (name) view.state[name.toLowerCase()] = cmd.data;
      break;
    case 'set-output':
      if (name) view.outputs[name] = cmd.data;
      break;
    case 'set-env':
      if (name) view.env[name] = cmd.data;
      break;
    case 'add-mask':
      if (cmd.data.trim()) view.masks.push(cmd.data);
      break;
    case 'error':
    case 'warning':
    case 'notice':
      view.annotations.push({ level: cmd.command, properties: cmd.properties, message: cmd.data });
      break;
  }
}

/**
 * The state the runner hands the post step: `::save-state` commands as they took effect, then
 * the GITHUB_STATE file (processed when the step ends, so its values win).
 */
export function postStepState(
  stdout: string,
  fileState: Record<string, string>,
): Record<string, string> {
  const state: Record<string, string> = { ...readAsRunner(stdout).state };
  for (const [name, value] of Object.entries(fileState)) {
    delete state[name.toLowerCase()];
    state[name] = value;
  }
  return state;
}
