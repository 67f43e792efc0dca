// A local Vertex AI JobService: a gRPC server built from the protos @google-cloud/aiplatform
// ships, plus a small JSON admin endpoint for tests and demos. `startVertexEmulator` runs it
// in-process; server.ts wraps it as a command.

import { loadProtoService, type TlsPair } from '../shared/grpc.ts';
import { serveGrpcEmulator } from '../shared/grpc-emulator.ts';
import { CapacityTable, type RegionCapacity } from './capacity.ts';
import { startKanikoRunner, type KanikoRunner, type KanikoRunnerOptions } from './kaniko.ts';
import { scenarioFromSpec } from './scenarios.ts';
import { jobServiceHandlers, type EmulatorState, type RecordedCall } from './service.ts';
import { JobStore } from './store.ts';

export interface VertexEmulatorOptions {
  host?: string;
  /** gRPC port; 0 (default) picks a free one. */
  port?: number;
  /** Admin HTTP port; 0 (default) picks a free one. */
  adminPort?: number;
  /** Scenario for jobs when none is queued. Default `succeed`. */
  scenario?: string;
  /** Milliseconds per lifecycle step. Default 1000. */
  tickMs?: number;
  /** PEM server certificate chain and key: serve TLS instead of plaintext. */
  tls?: TlsPair;
  /** Require `authorization: Bearer <token>` with an accepted token. Default: true with TLS. */
  requireToken?: boolean;
  acceptedTokens?: string[];
  /** Serve Kaniko build jobs with local builds on this dockerd (see kaniko.ts). */
  kaniko?: KanikoRunnerOptions;
  /** Every answer is sent this long after its call arrived. Default 0. */
  answerDelayMs?: number;
}

export interface EmulatorRecord {
  calls: RecordedCall[];
  jobsCreated: number;
  jobs: Record<string, unknown>[];
  scenarioQueue: string[];
  capacity?: Record<string, RegionCapacity>;
}

export interface VertexEmulator {
  /** `host:port` for the gRPC JobService. */
  grpcAddress: string;
  adminUrl: string;
  tls: boolean;
  record(): EmulatorRecord;
  /** Scenarios for the next created jobs, in order. */
  queueScenarios(...specs: string[]): void;
  acceptTokens(...tokens: string[]): void;
  setTickMs(ms: number): void;
  /** A region's capacity from now on: out of accelerators (a stockout), or quota used up. */
  setCapacity(region: string, capacity: RegionCapacity): void;
  /** Every answer waits `ms` first (0: none), as a distant service would. */
  setDelayMs(ms: number): void;
  /**
   * Adds a job as if it had been created `agoMs` ago (default now), playing `scenario` from
   * then at `tickMs`; no Create call is recorded. Returns its resource name.
   */
  seedJob(job: {
    parent: string;
    customJob: Record<string, unknown>;
    scenario?: string;
    agoMs?: number;
    tickMs?: number;
  }): string;
  reset(): void;
  /** The Kaniko stand-in, when the emulator was started with `kaniko`. */
  kaniko?: KanikoRunner;
  stop(): Promise<void>;
}

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new Error(`"${field}" must be an array of strings`);
  }
  return value;
}

export async function startVertexEmulator(
  options: VertexEmulatorOptions = {},
): Promise<VertexEmulator> {
  const initialScenario = options.scenario ?? 'succeed';
  scenarioFromSpec(initialScenario); // fail fast on a typo
  const state: EmulatorState = {
    store: new JobStore(),
    calls: [],
    jobsCreated: 0,
    scenarioQueue: [],
    defaultScenario: initialScenario,
    tickMs: options.tickMs ?? 1000,
    requireToken: options.requireToken ?? options.tls !== undefined,
    acceptedTokens: new Set(options.acceptedTokens ?? []),
    kaniko: options.kaniko ? startKanikoRunner(options.kaniko) : undefined,
    capacity: new CapacityTable(),
    answerDelayMs: options.answerDelayMs ?? 0,
  };

  const record = (): EmulatorRecord => ({
    calls: state.calls.map((c) => ({ ...c })),
    jobsCreated: state.jobsCreated,
    jobs: state.store.all().map((j) => state.store.summary(j)),
    scenarioQueue: [...state.scenarioQueue],
    // Shown once a region's capacity is set (POST /capacity).
    ...(Object.keys(state.capacity.snapshot()).length > 0
      ? { capacity: state.capacity.snapshot() }
      : {}),
  });
  const queueScenarios = (...specs: string[]) => {
    specs.forEach(scenarioFromSpec);
    state.scenarioQueue.push(...specs);
  };
  const acceptTokens = (...tokens: string[]) => tokens.forEach((t) => state.acceptedTokens.add(t));
  const setTickMs = (ms: number) => {
    if (!(ms > 0)) throw new Error('tickMs must be a positive number');
    state.tickMs = ms;
  };
  const setDelayMs = (ms: number) => void (state.answerDelayMs = ms);
  const seedJob: VertexEmulator['seedJob'] = (job) =>
    state.store.create(
      job.parent,
      job.customJob,
      scenarioFromSpec(job.scenario ?? 'succeed'),
      job.tickMs ?? state.tickMs,
      Date.now() - (job.agoMs ?? 0),
    ).name;
  const reset = () => {
    state.store.clear();
    state.calls = [];
    state.jobsCreated = 0;
    state.scenarioQueue = [];
    state.defaultScenario = initialScenario;
    state.capacity.clear();
    state.answerDelayMs = options.answerDelayMs ?? 0;
  };

  const served = await serveGrpcEmulator(options, {
    service: loadProtoService(
      'google/cloud/aiplatform/v1/job_service.proto',
      ['@google-cloud/aiplatform', 'google-gax'],
      'google.cloud.aiplatform.v1.JobService',
      { bytes: String },
    ),
    handlers: jobServiceHandlers(state),
    reset,
    routes: {
      get: { '/record': record },
      post: {
        '/scenarios': (body) => {
          if (body.scenarios !== undefined)
            queueScenarios(...stringList(body.scenarios, 'scenarios'));
          if (typeof body.default === 'string') {
            scenarioFromSpec(body.default);
            state.defaultScenario = body.default;
          }
          return { scenarioQueue: state.scenarioQueue, default: state.defaultScenario };
        },
        '/capacity': (body) => {
          if (typeof body.region !== 'string') throw new Error('"region" must be a region name');
          state.capacity.set(body.region, body as RegionCapacity);
          return { capacity: state.capacity.snapshot() };
        },
        '/tokens': (body) => {
          acceptTokens(...stringList(body.tokens, 'tokens'));
          return { accepted: state.acceptedTokens.size };
        },
        '/config': (body) => {
          if (body.tickMs !== undefined) setTickMs(Number(body.tickMs));
          if (typeof body.requireToken === 'boolean') state.requireToken = body.requireToken;
          return { tickMs: state.tickMs, requireToken: state.requireToken };
        },
      },
    },
  });

  return {
    ...served,
    record,
    queueScenarios,
    acceptTokens,
    setTickMs,
    setCapacity: (region, capacity) => state.capacity.set(region, capacity),
    setDelayMs,
    seedJob,
    reset,
    kaniko: state.kaniko,
    async stop() {
      await state.kaniko?.close();
      await served.stop();
    },
  };
}
