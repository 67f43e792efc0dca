// The part of GitHub's expression language the repository's workflows use, evaluated as the
// runner does before a step starts. Anything else is an error, so that a workflow never relies
// on something the local run would silently get wrong.

export interface StepRecord {
  outcome: 'success' | 'failure' | 'skipped';
  conclusion: 'success' | 'failure' | 'skipped';
  outputs: Record<string, string>;
}

export interface ExpressionContext {
  env: Record<string, string>;
  steps: Record<string, StepRecord>;
  runner: { temp: string };
  github: { workspace: string };
  /** `success` until a step concludes `failure`. */
  jobStatus: 'success' | 'failure';
}

const NAME = '[A-Za-z_][\\w-]*';

function value(expr: string, ctx: ExpressionContext): string {
  const e = expr.trim();
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^env\\.(${NAME})$`).exec(e))) return ctx.env[m[1]] ?? '';
  if ((m = new RegExp(`^steps\\.(${NAME})\\.outputs\\.(${NAME})$`).exec(e)))
    return ctx.steps[m[1]]?.outputs[m[2]] ?? '';
  if ((m = new RegExp(`^steps\\.(${NAME})\\.(outcome|conclusion)$`).exec(e)))
    return ctx.steps[m[1]]?.[m[2] as 'outcome' | 'conclusion'] ?? '';
  if ((m = new RegExp(`^toJSON\\(steps\\.(${NAME})\\)$`).exec(e))) {
    const step = ctx.steps[m[1]];
    return step ? JSON.stringify(step, null, 2) : 'null';
  }
  if (e === 'runner.temp') return ctx.runner.temp;
  if (e === 'github.workspace') return ctx.github.workspace;
  throw new Error(`the local run does not support the expression \${{ ${e} }}`);
}

/** Substitutes every `${{ ... }}` of a string. */
export function interpolate(text: string, ctx: ExpressionContext): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, expr: string) => value(expr, ctx));
}

/** A step's `if:` (default `success()`), with or without `${{ }}`. */
export function condition(expr: string | undefined, ctx: ExpressionContext): boolean {
  const e = (expr ?? 'success()')
    .trim()
    .replace(/^\$\{\{(.*)\}\}$/s, '$1')
    .trim();
  switch (e) {
    case 'success()':
      return ctx.jobStatus === 'success';
    case 'failure()':
      return ctx.jobStatus === 'failure';
    case 'always()':
    case '!cancelled()':
      return true;
    case 'cancelled()':
      return false;
    default:
      throw new Error(`the local run does not support the condition "if: ${e}"`);
  }
}
