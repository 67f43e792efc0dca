// A recording AuthRuntime and a leak scan shared by the auth tests.
import type { AuthSettings } from '../../src/context.ts';
import type { AuthRuntime } from '../../src/google-auth/index.ts';
import type { AuthEmulators } from '../../emulators/google-auth/index.ts';

export interface RecordingRuntime extends AuthRuntime {
  masked: Set<string>;
  lines: string[];
}

export function recordingRuntime(
  env: NodeJS.ProcessEnv,
  extra: Partial<AuthRuntime> = {},
): RecordingRuntime {
  const masked = new Set<string>();
  const lines: string[] = [];
  return {
    env,
    masked,
    lines,
    setSecret: (v) => void masked.add(v),
    log: {
      info: (m) => void lines.push(`info: ${m}`),
      warning: (m) => void lines.push(`warning: ${m}`),
      debug: (m) => void lines.push(`debug: ${m}`),
    },
    ...extra,
  };
}

export function wifSettings(
  emu: AuthEmulators,
  overrides: Partial<AuthSettings> = {},
): AuthSettings {
  return {
    workloadIdentityProvider: emu.provider,
    universe: 'googleapis.com',
    stsEndpoint: emu.stsEndpoint,
    iamCredentialsEndpoint: emu.iamCredentialsEndpoint,
    ...overrides,
  };
}

/**
 * The secrets the servers issue from the call on, with the OIDC request token they hold from
 * the start: what one test's run obtains, whatever other tests obtained before it.
 */
export function secretsFromNow(emu: AuthEmulators): () => string[] {
  const before = new Set(emu.allSecrets());
  return () => emu.allSecrets().filter((s) => s === emu.oidc.requestToken || !before.has(s));
}

/**
 * Every secret the servers issued (or those of `secrets`) that is not masked, and every one
 * that appears in `texts`.
 */
export function leaks(
  emu: AuthEmulators,
  runtime: RecordingRuntime,
  texts: string[],
  secrets: string[] = emu.allSecrets(),
): { unmasked: string[]; printed: string[] } {
  const all = [...texts, ...runtime.lines].join('\n');
  return {
    unmasked: secrets.filter((s) => !runtime.masked.has(s)).map((s) => `${s.slice(0, 12)}...`),
    printed: secrets.filter((s) => all.includes(s)).map((s) => `${s.slice(0, 12)}...`),
  };
}

/** Runs `f`, expecting a rejection; returns the error. */
export async function failure(f: () => Promise<unknown>): Promise<Error & { phase?: string }> {
  try {
    await f();
  } catch (e) {
    return e as Error & { phase?: string };
  }
  throw new Error('expected a failure, got success');
}

export const tokenOf = (headers: Headers): string | undefined =>
  /^Bearer (\S+)$/.exec(headers.get('authorization') ?? '')?.[1];
