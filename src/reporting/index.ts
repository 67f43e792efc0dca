// GitHub reporting: check run with annotations and the PR comment. The job summary markdown
// comes from renderSummaryMarkdown (src/core/report); main writes it to the step summary.
export { createReporter, githubClient, type Reporter, type ReporterOptions } from './reporter.ts';
export {
  githubRunContextFromEnv,
  checkRunHeadSha,
  pullRequestNumber,
  splitRepository,
  workflowRunUrl,
  type GitHubRunContext,
} from './run-context.ts';
export type { RetryPolicy } from './guard.ts';
