// Shared fixtures for the reporting tests: a launch report, a request, a recording logger.

import type { CreateCustomJobRequestJson } from '../../src/core/request.ts';
import type { Logger } from '../../src/core/log.ts';
import type { LaunchReport } from '../../src/core/report/index.ts';

export const request: CreateCustomJobRequestJson = {
  parent: 'projects/my-proj/locations/us-central1',
  customJob: {
    displayName: 'train-resnet',
    labels: { 'wb-vertex-launch': 'true' },
    jobSpec: {
      workerPoolSpecs: [
        {
          machineSpec: {
            machineType: 'n1-standard-8',
            acceleratorType: 'NVIDIA_TESLA_T4',
            acceleratorCount: 2,
          },
          replicaCount: '1',
          containerSpec: {
            imageUri: 'us-docker.pkg.dev/p/r/train@sha256:abc',
            env: [{ name: 'WANDB_API_KEY', value: '***' }],
          },
        },
        {},
        {
          machineSpec: { machineType: 'n1-highmem-4' },
          replicaCount: 3,
          pythonPackageSpec: {
            executorImageUri: 'us-docker.pkg.dev/vertex-ai/training/pytorch:latest',
            pythonModule: 'trainer.task',
          },
        },
      ],
    },
  },
};

export function report(overrides: Partial<LaunchReport> = {}): LaunchReport {
  return {
    title: 'train-resnet',
    project: 'my-proj',
    region: 'us-central1',
    jobName: 'projects/123/locations/us-central1/customJobs/456',
    jobId: '456',
    state: 'JOB_STATE_PENDING',
    createTime: '2025-01-01T10:00:00.123456Z',
    pools: [
      {
        machineType: 'n1-standard-8',
        acceleratorType: 'NVIDIA_TESLA_T4',
        acceleratorCount: 2,
        replicaCount: 1,
        image: 'img@sha256:abc',
      },
    ],
    imageUri: 'us-docker.pkg.dev/p/r/train@sha256:abc',
    imageDigest: 'sha256:abc',
    links: {
      console:
        'https://console.cloud.google.com/vertex-ai/locations/us-central1/training/456?project=my-proj',
      logging: 'https://console.cloud.google.com/logs/query;query=x?project=my-proj',
      wandb: 'https://wandb.ai/ent/proj/runs/abc123',
    },
    requestJson: JSON.stringify(request, null, 2),
    dryRun: false,
    ...overrides,
  };
}

export interface RecordingLogger extends Logger {
  warnings: string[];
  infos: string[];
  debugs: string[];
}

export function recordingLogger(): RecordingLogger {
  const warnings: string[] = [];
  const infos: string[] = [];
  const debugs: string[] = [];
  return {
    warnings,
    infos,
    debugs,
    warning: (m) => void warnings.push(m),
    info: (m) => void infos.push(m),
    debug: (m) => void debugs.push(m),
  };
}

/** The cells of a markdown table row, split on pipes that are not backslash-escaped. */
export function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}
