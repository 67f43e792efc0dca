// Errors a user can fix. They carry the phase that failed and, for config problems, each
// problem's location; the top-level handlers print them without a stack trace.

export type Phase =
  | 'inputs'
  | 'queue-config'
  | 'auth'
  | 'preflight'
  | 'build'
  | 'submit'
  | 'wait'
  | 'cancel'
  | 'report'
  | 'attach'
  | 'reconcile'
  | 'agent';

/** One located problem in a user's input. */
export interface Problem {
  /** Config path such as `spec.worker_pool_specs[0].machine_spec.machine_type`, or an input name. */
  path?: string;
  /** The file the problem is in (workspace-relative), when it comes from a file. */
  file?: string;
  /** 1-based line and column in that file, where known. */
  line?: number;
  column?: number;
  message: string;
}

export class UserError extends Error {
  readonly phase: Phase;
  readonly problems: Problem[];

  constructor(phase: Phase, message: string, problems: Problem[] = []) {
    super(message);
    this.name = 'UserError';
    this.phase = phase;
    this.problems = problems;
  }
}

/** `file:line:col: path: message`, the one-line form used by the CLI and logs. */
export function formatProblem(p: Problem): string {
  const where = [p.file, p.line, p.line !== undefined ? p.column : undefined]
    .filter((x) => x !== undefined)
    .join(':');
  const prefix = [where, p.path].filter(Boolean).join(': ');
  return prefix ? `${prefix}: ${p.message}` : p.message;
}

/** The message of anything thrown: its own `message` when it has one, otherwise its text. */
export function errorMessage(e: unknown): string {
  const message = (e as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : String(e);
}
