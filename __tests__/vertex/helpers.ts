// Shared pieces for the Vertex adapter tests: a request in proto3 JSON form, a recording
// logger, and a fast emulator plus a connection to it.

import type { Logger } from '../../src/core/log.ts';
import type { CreateCustomJobRequestJson } from '../../src/core/request.ts';
import type { VertexEmulator, VertexEmulatorOptions } from '../../emulators/vertex/emulator.ts';
import { connectVertex, type VertexConnection } from '../../src/vertex/index.ts';

export const PARENT = 'projects/demo-project/locations/us-central1';
export const TICK_MS = 30;
/** Poll and retry delays at 1/500: the 5 s quick poll becomes 10 ms, the 60 s cap 120 ms. */
export const TIME_SCALE = 0.002;

export function request(
  overrides: Partial<CreateCustomJobRequestJson['customJob']> = {},
): CreateCustomJobRequestJson {
  return {
    parent: PARENT,
    customJob: {
      displayName: 'train-resnet',
      jobSpec: {
        workerPoolSpecs: [
          {
            machineSpec: {
              machineType: 'n1-standard-8',
              acceleratorType: 'NVIDIA_TESLA_T4',
              acceleratorCount: 1,
            },
            replicaCount: '1',
            containerSpec: {
              imageUri: 'us-docker.pkg.dev/demo/train:latest',
              args: ['--epochs', '3'],
            },
          },
        ],
        scheduling: { timeout: '3600s', strategy: 'SPOT' },
      },
      labels: { team: 'vision' },
      ...overrides,
    },
  };
}

export interface RecordingLogger extends Logger {
  lines: string[];
  infos(): string[];
  warnings(): string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => void lines.push(`info: ${m}`),
    warning: (m) => void lines.push(`warning: ${m}`),
    debug: (m) => void lines.push(`debug: ${m}`),
    infos: () => lines.filter((l) => l.startsWith('info: ')),
    warnings: () => lines.filter((l) => l.startsWith('warning: ')),
  };
}

export async function plaintextSetup(
  options: VertexEmulatorOptions = {},
): Promise<{ emulator: VertexEmulator; conn: VertexConnection }> {
  // Imported on use: the TLS tests must set GRPC_DEFAULT_SSL_ROOTS_FILE_PATH before grpc-js loads.
  const { startVertexEmulator } = await import('../../emulators/vertex/emulator.ts');
  const emulator = await startVertexEmulator({ tickMs: TICK_MS, ...options });
  const conn = await connectVertex({
    region: 'us-central1',
    endpoint: `http://${emulator.grpcAddress}`,
    projectId: 'demo-project',
    timeScale: TIME_SCALE,
  });
  return { emulator, conn };
}

let labelCounter = 0;
/** A launch label unique within the test run. */
export function launchLabel(): { key: string; value: string } {
  labelCounter++;
  return { key: 'wb-launch-id', value: `run-42-attempt-1-${labelCounter}` };
}

export function creates(emulator: VertexEmulator): number {
  return emulator.record().calls.filter((c) => c.method === 'CreateCustomJob').length;
}

export function gets(emulator: VertexEmulator, name?: string): number {
  return emulator
    .record()
    .calls.filter((c) => c.method === 'GetCustomJob' && (!name || c.request.name === name)).length;
}
