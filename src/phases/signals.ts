// A cancelled workflow reaches the step as SIGINT (then SIGTERM 7.5 s later, then a kill):
// both abort the wait so the job can be cancelled inside that grace.
export function abortOnSignals(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): {
  signal: AbortSignal;
} {
  const controller = new AbortController();
  for (const s of signals) process.on(s, () => controller.abort());
  return { signal: controller.signal };
}
