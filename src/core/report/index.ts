// The report core: launch report model -> job summary markdown, check-run payloads, PR comment.
export * from './model.ts';
export * from './outcome.ts';
export * from './render.ts';
export * from './check-run-types.ts';
export * from './comment.ts';
export * from './comment-index.ts';
export * from './annotations.ts';
export * from './log-excerpt.ts';
export {
  escapeHtml,
  text as markdownText,
  code as markdownCode,
  truncateUtf8,
  utf8Length,
  formatDuration,
} from './format.ts';
export * from './reconcile-summary.ts';
