// The logging seam adapters write through: the action maps it to @actions/core, the CLI to
// stderr, tests to an array.
export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
}
