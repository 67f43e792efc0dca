// Shared pieces for the Cloud Logging adapter tests: a logging emulator, a follower on the real
// client reading it, and what the follower printed and warned.
import type { LoggingEmulator, LoggingEmulatorOptions } from '../../emulators/logging/emulator.ts';
import { startLoggingEmulator } from '../../emulators/logging/emulator.ts';
import { followJobLogs, type LogFollower, type LogFollowOptions } from '../../src/logging/index.ts';
import { recordingLogger, type RecordingLogger } from '../vertex/helpers.ts';

/** Reads every 120 ms, lines held 30-80 ms, backoff from 150 ms: a second stands for 100 s. */
export const TIME_SCALE = 0.01;
export const PROJECT = 'demo-project';

let jobCounter = 100;
export function jobName(): string {
  jobCounter++;
  return `projects/${PROJECT}/locations/us-central1/customJobs/${jobCounter}`;
}

export function jobIdOf(name: string): string {
  return name.split('/').pop()!;
}

export interface Following {
  follower: LogFollower;
  printed: string[];
  log: RecordingLogger;
}

export function follow(
  emulator: LoggingEmulator,
  name: string,
  extra: Partial<LogFollowOptions> = {},
): Following {
  const printed: string[] = [];
  const log = recordingLogger();
  const follower = followJobLogs({
    jobName: name,
    since: new Date(Date.now() - 10_000).toISOString(),
    connection: { endpoint: `http://${emulator.grpcAddress}`, projectId: PROJECT },
    log,
    print: (lines) => printed.push(...lines),
    timeScale: TIME_SCALE,
    ...extra,
  });
  return { follower, printed, log };
}

export function startEmulator(options: LoggingEmulatorOptions = {}): Promise<LoggingEmulator> {
  return startLoggingEmulator(options);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The texts printed for one replica, prefix removed, in print order. */
export function linesOf(printed: string[], replica: string): string[] {
  const prefix = `[${replica}] `;
  return printed.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
}
