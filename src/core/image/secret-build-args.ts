// Build args whose names look secret (the same rule as everywhere: KEY, TOKEN, SECRET,
// PASSWORD) never become `--build-arg`s for Docker: a build arg's value is recorded in the
// image's history, which anyone who can pull the image reads. They go in as BuildKit secrets,
// which a Dockerfile mounts (`RUN --mount=type=secret,id=NAME`) and no layer keeps.
import { isSecretName } from '../redact.ts';

export interface SplitBuildArgs {
  /** Plain build args, passed as `--build-arg NAME=VALUE`. */
  plain: Record<string, string>;
  /** Secret-named ones, passed as BuildKit secrets. */
  secret: Record<string, string>;
}

export function splitBuildArgs(args: Record<string, string>): SplitBuildArgs {
  const split: SplitBuildArgs = { plain: {}, secret: {} };
  for (const [name, value] of Object.entries(args))
    split[isSecretName(name) ? 'secret' : 'plain'][name] = value;
  return split;
}

/**
 * Secret build args the Dockerfile still declares with `ARG`: such an ARG is now empty, and the
 * value is to be mounted instead.
 */
export function secretArgsDeclared(dockerfile: string, secretNames: string[]): string[] {
  return secretNames.filter((name) =>
    new RegExp(`^\\s*ARG\\s+${name}(?:[\\s=]|$)`, 'im').test(dockerfile),
  );
}

/** How a Dockerfile reads the secret `name`. */
export function secretMountHint(name: string): string {
  return `RUN --mount=type=secret,id=${name} ... reads it from /run/secrets/${name}`;
}
