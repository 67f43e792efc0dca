// A local Cloud Logging LoggingServiceV2: a gRPC server built from the protos that
// @google-cloud/logging-api ships (the clients of @google-cloud/logging), with scripted entries
// per job and replica, late and duplicate entries, and read faults; plus a small JSON admin
// endpoint. `startLoggingEmulator` runs it in-process; server.ts wraps it as a command.
//
// Scripts are queued and bound to job ids as the emulator first sees them in a read's filter,
// so a test or the demo need not know a job's id before the Vertex emulator makes it.

import { loadProtoService, type TlsPair } from '../shared/grpc.ts';
import { serveGrpcEmulator } from '../shared/grpc-emulator.ts';
import { namedScript, type LogScript } from './scripts.ts';
import {
  bindScript,
  loggingHandlers,
  type LoggingState,
  type RecordedCall,
  type StoredEntry,
} from './service.ts';

export interface LoggingEmulatorOptions {
  host?: string;
  /** gRPC port; 0 (default) picks a free one. */
  port?: number;
  /** Admin HTTP port; 0 (default) picks a free one. */
  adminPort?: number;
  /** PEM server certificate chain and key: serve TLS instead of plaintext. */
  tls?: TlsPair;
  /** Require `authorization: Bearer <token>` with an accepted token. Default: true with TLS. */
  requireToken?: boolean;
  acceptedTokens?: string[];
  /** Per-project ListLogEntries quota: this many calls per quotaWindowMs. Default: none. */
  readsPerWindow?: number;
  /** Default 60,000 (a minute), as Cloud Logging counts. */
  quotaWindowMs?: number;
  /** Largest page returned. Default 1000. */
  maxPageSize?: number;
  /** Open tail sessions per project. Default 10, as Cloud Logging allows. */
  tailSessionsPerProject?: number;
}

export interface LoggingFaults {
  deny?: boolean;
  exhaustNext?: number;
  /** Each page after the first repeats the previous page's last entry (pageOverlap: 1). */
  duplicateAcrossPages?: boolean;
  /** Each page after the first repeats this many of the previous page's last entries. */
  pageOverlap?: number;
  maxPageSize?: number;
  readsPerWindow?: number | null;
  quotaWindowMs?: number;
}

export interface LoggingEmulator {
  /** `host:port` of the gRPC LoggingServiceV2. */
  grpcAddress: string;
  adminUrl: string;
  tls: boolean;
  /** Scripts for the next jobs the emulator sees, in order. */
  queueScripts(...scripts: LogScript[]): void;
  /** Entries for a known job id, timed from now (or `t0`). */
  script(jobId: string, script: LogScript, t0?: number): void;
  faults(faults: LoggingFaults): void;
  acceptTokens(...tokens: string[]): void;
  calls(): RecordedCall[];
  /** Every stored entry of a job (visible or not yet), by timestamp. */
  entries(jobId: string): StoredEntry[];
  jobIds(): string[];
  reset(): void;
  stop(): Promise<void>;
}

export async function startLoggingEmulator(
  options: LoggingEmulatorOptions = {},
): Promise<LoggingEmulator> {
  const initial = (): LoggingState => ({
    jobs: new Map(),
    scriptQueue: [],
    calls: [],
    deny: false,
    exhaustNext: 0,
    readsPerWindow: options.readsPerWindow,
    quotaWindowMs: options.quotaWindowMs ?? 60_000,
    maxPageSize: options.maxPageSize ?? 1000,
    pageOverlap: 0,
    tailSessionsPerProject: options.tailSessionsPerProject ?? 10,
    openTails: new Map(),
    requireToken: options.requireToken ?? options.tls !== undefined,
    acceptedTokens: new Set(options.acceptedTokens ?? []),
    insertCounter: 0,
  });
  const state = initial();

  const faults = (f: LoggingFaults) => {
    if (f.deny !== undefined) state.deny = f.deny;
    if (f.exhaustNext !== undefined) state.exhaustNext = f.exhaustNext;
    if (f.duplicateAcrossPages !== undefined) state.pageOverlap = f.duplicateAcrossPages ? 1 : 0;
    if (f.pageOverlap !== undefined) state.pageOverlap = Math.max(0, f.pageOverlap);
    if (f.maxPageSize !== undefined) state.maxPageSize = f.maxPageSize;
    if (f.readsPerWindow !== undefined) state.readsPerWindow = f.readsPerWindow ?? undefined;
    if (f.quotaWindowMs !== undefined) state.quotaWindowMs = f.quotaWindowMs;
  };
  const reset = () => {
    const fresh = initial();
    fresh.acceptedTokens = state.acceptedTokens;
    Object.assign(state, fresh);
  };
  const queueScripts = (...scripts: LogScript[]) => state.scriptQueue.push(...scripts);

  const served = await serveGrpcEmulator(options, {
    service: loadProtoService(
      'google/logging/v2/logging.proto',
      ['@google-cloud/logging-api', 'google-gax'],
      'google.logging.v2.LoggingServiceV2',
    ),
    handlers: loggingHandlers(state),
    reset,
    routes: {
      get: {
        '/record': () => ({
          calls: state.calls,
          jobs: Object.fromEntries([...state.jobs].map(([id, e]) => [id, e.length])),
        }),
      },
      post: {
        '/scripts': (body) => {
          // {"scripts": ["train", {...LogScript}], "tickMs": 1000}
          const tickMs = typeof body.tickMs === 'number' ? body.tickMs : 1000;
          const list = Array.isArray(body.scripts) ? body.scripts : [];
          queueScripts(
            ...list.map((s) => (typeof s === 'string' ? namedScript(s, tickMs) : (s as LogScript))),
          );
          return { queued: state.scriptQueue.length };
        },
        '/faults': (body) => {
          faults(body as LoggingFaults);
          return { ok: true };
        },
        '/tokens': (body) => {
          for (const t of (body.tokens as string[]) ?? []) state.acceptedTokens.add(t);
          return { accepted: state.acceptedTokens.size };
        },
      },
    },
  });

  return {
    ...served,
    queueScripts,
    script: (jobId, script, t0 = Date.now()) => bindScript(state, jobId, script, t0),
    faults,
    acceptTokens: (...tokens) => tokens.forEach((t) => state.acceptedTokens.add(t)),
    calls: () => state.calls.map((c) => ({ ...c })),
    entries: (jobId) => [...(state.jobs.get(jobId) ?? [])].sort((a, b) => a.timeMs - b.timeMs),
    jobIds: () => [...state.jobs.keys()],
    reset,
  };
}
