// Input quoted in a message is cut short. Messages reach the check run, the job summary and
// the PR comment, which GitHub does not mask, so a quote must never carry a whole file (a
// config that turned out to be someone's environment) or a long pasted secret.

/** How many characters of a value a message quotes. */
export const QUOTE_LIMIT = 80;

/** `text`, cut to `limit` characters (whole code points) with an ellipsis when longer. */
export function cutShort(text: string, limit = QUOTE_LIMIT): string {
  const chars = Array.from(text);
  return chars.length > limit ? `${chars.slice(0, limit).join('')}…` : text;
}

/** `value` in double quotes, escaped (no line breaks reach a message) and cut short. */
export function quoted(value: string, limit = QUOTE_LIMIT): string {
  return JSON.stringify(cutShort(value, limit));
}
