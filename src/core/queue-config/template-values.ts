// The names `${...}` may use: the built-in ones (W&B Launch's, plus the GitHub run's) and
// every `vars` entry.
import type { PathProblem } from './convert.ts';
import { cutShort, quoted } from '../quote.ts';

export interface GitHubRunInfo {
  repository?: string;
  sha?: string;
  ref?: string;
  runId?: string;
  runAttempt?: string;
  runNumber?: string;
  workflow?: string;
  job?: string;
  actor?: string;
  /** GITHUB_ACTION: the step's id, which tells two uses of the action in one job apart. */
  step?: string;
  /** The branch (or tag) name: the PR's head branch for pull requests. */
  branch?: string;
  /** The pull request number, for pull_request events and comments on a PR. */
  pr?: number;
  /** The branch the pull request merges into (`pull_request.base.ref`). */
  baseBranch?: string;
  /** The commit check runs belong on: the PR head for pull requests, else `sha`. */
  headSha?: string;
}

export const BUILTIN_TEMPLATE_NAMES = [
  'image_uri',
  'project_name',
  'entity_name',
  'run_id',
  'run_name',
  'author',
  'github_sha',
  'github_ref',
  'github_run_id',
  'github_repository',
] as const;

/** Where a built-in name gets its value, for the "has no value here" message. */
const SOURCE_OF: Record<string, string> = {
  image_uri: 'the `image` or `registry` input (`--image` for the CLI)',
  project_name: 'the `wandb-project` input',
  entity_name: 'the `wandb-entity` input',
  author: 'GITHUB_ACTOR',
  github_sha: 'GITHUB_SHA',
  github_ref: 'GITHUB_REF',
  github_run_id: 'GITHUB_RUN_ID',
  github_repository: 'GITHUB_REPOSITORY',
};

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function buildTemplateValues(opts: {
  image?: string;
  wandbProject?: string;
  wandbEntity?: string;
  runId: string;
  runName: string;
  github: GitHubRunInfo;
  vars: Record<string, string>;
}): { values: Record<string, string>; problems: PathProblem[] } {
  const builtins: Record<string, string | undefined> = {
    image_uri: opts.image,
    project_name: opts.wandbProject,
    entity_name: opts.wandbEntity,
    run_id: opts.runId,
    run_name: opts.runName,
    author: opts.github.actor,
    github_sha: opts.github.sha,
    github_ref: opts.github.ref,
    github_run_id: opts.github.runId,
    github_repository: opts.github.repository,
  };
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(builtins)) if (v !== undefined && v !== '') values[k] = v;
  const problems: PathProblem[] = [];
  for (const [name, value] of Object.entries(opts.vars)) {
    if (!VAR_NAME.test(name)) {
      problems.push({
        path: 'vars',
        message: `${quoted(name)} is not a valid template name (letters, digits and _; not starting with a digit)`,
      });
    } else if ((BUILTIN_TEMPLATE_NAMES as readonly string[]).includes(name)) {
      problems.push({
        path: 'vars',
        message: `${quoted(name)} is a built-in template name and cannot be redefined`,
      });
    } else {
      values[name] = value;
    }
  }
  return { values, problems };
}

/** The message for a `${name}` that has no value. */
export function unknownTemplateMessage(name: string, values: Record<string, string>): string {
  if ((BUILTIN_TEMPLATE_NAMES as readonly string[]).includes(name)) {
    return `\${${name}} has no value here: set ${SOURCE_OF[name] ?? 'it'}`;
  }
  const known = [...new Set([...BUILTIN_TEMPLATE_NAMES, ...Object.keys(values)])].sort();
  return `unknown template name \${${cutShort(name)}}; known names: ${known.join(', ')} (add your own with \`vars\`)`;
}
