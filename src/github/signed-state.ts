// The state main leaves for the post step, each value with a MAC beside it (`NAME-mac`), so the
// post step reads only what main wrote: a `::save-state` command in printed text, or a value
// planted any other way, carries no valid MAC. The key is the github-token input, which main
// and post both get and the job's code never does; without it, values are taken as they are
// and the post step relies on the job's labels alone (core/launch-proof.ts).
import * as core from '@actions/core';
import { stateMac, stateMacMatches, type StateBinding } from '../core/launch-proof.ts';

const MAC_SUFFIX = '-mac';

function signingKey(): string | undefined {
  return core.getInput('github-token') || undefined;
}

function bindingOf(env: NodeJS.ProcessEnv): StateBinding {
  return {
    repository: env.GITHUB_REPOSITORY,
    runId: env.GITHUB_RUN_ID,
    runAttempt: env.GITHUB_RUN_ATTEMPT,
  };
}

export function saveSignedState(name: string, value: string, env = process.env): void {
  core.saveState(name, value);
  const key = signingKey();
  if (key) core.saveState(`${name}${MAC_SUFFIX}`, stateMac(key, bindingOf(env), name, value));
}

export interface VerifiedState {
  /** The saved value; undefined when there is none or it failed the check. */
  get(name: string): string | undefined;
  /** Names whose value failed the check (and are ignored). */
  rejected: string[];
}

/** Reads `names` as the post step sees them (STATE_<name>), keeping only what main signed. */
export function readVerifiedState(names: readonly string[], env = process.env): VerifiedState {
  const key = signingKey();
  const run = bindingOf(env);
  const values = new Map<string, string>();
  const rejected: string[] = [];
  for (const name of names) {
    const value = env[`STATE_${name}`] ?? '';
    if (!value) continue;
    if (key && !stateMacMatches(key, run, name, value, env[`STATE_${name}${MAC_SUFFIX}`])) {
      rejected.push(name);
      continue;
    }
    values.set(name, value);
  }
  return { get: (name) => values.get(name), rejected };
}
