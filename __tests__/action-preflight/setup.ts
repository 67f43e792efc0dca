// The world of a bundled-action run with preflight: the Vertex emulator (plaintext, fast), the
// Cloud Storage and IAM stand-ins (plaintext: no credentials needed), and a workspace with a
// queue config naming a staging bucket and a run-as service account.
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startIamEmulator, type IamEmulator } from '../../emulators/iam/emulator.ts';
import { startStorageEmulator, type StorageEmulator } from '../../emulators/storage/emulator.ts';
import type { BucketOptions } from '../../emulators/storage/store.ts';
import { startVertexEmulator, type VertexEmulator } from '../../emulators/vertex/emulator.ts';
import { runAction, type ActionResult } from '../helpers/action-runner.ts';

export const PROJECT = 'my-proj-1';
export const REGION = 'us-central1';
export const BUCKET = 'train-staging';
export const RUN_AS = `trainer@${PROJECT}.iam.gserviceaccount.com`;
export const IMAGE = `${REGION}-docker.pkg.dev/${PROJECT}/r/trainer:1`;

export interface ConfigOptions {
  machineType?: string;
  acceleratorType?: string;
  acceleratorCount?: number;
  bucket?: string;
  serviceAccount?: string;
  baseOutputDir?: string;
}

/** A queue config whose lines are known: staging_bucket on line 11, service_account on 13. */
export function queueConfig(o: ConfigOptions = {}): string {
  return [
    'spec:', // 1
    '  worker_pool_specs:', // 2
    '    - machine_spec:', // 3
    `        machine_type: ${o.machineType ?? 'n1-standard-4'}`, // 4
    `        accelerator_type: ${o.acceleratorType ?? 'NVIDIA_TESLA_T4'}`, // 5
    `        accelerator_count: ${o.acceleratorCount ?? 1}`, // 6
    '      replica_count: 1', // 7
    '      container_spec:', // 8
    '        image_uri: ${image_uri}', // 9
    '  display_name: preflight-test', // 10
    `  staging_bucket: gs://${o.bucket ?? BUCKET}`, // 11
    ...(o.baseOutputDir ? [`  base_output_dir: ${o.baseOutputDir}`] : ['  labels: {}']), // 12
    'run:', // 13
    `  service_account: ${o.serviceAccount ?? RUN_AS}`, // 14
    '',
  ].join('\n');
}
export const LINE = {
  acceleratorType: 5,
  acceleratorCount: 6,
  stagingBucket: 11,
  serviceAccount: 14,
};

export interface PreflightWorld {
  vertex: VertexEmulator;
  storage: StorageEmulator;
  iam: IamEmulator;
  /** Buckets and accounts as a passing launch needs them; called before each test. */
  reset(): void;
  addBucket(name: string, options?: BucketOptions): void;
  /** Runs the main step with this queue config in a fresh workspace. */
  launch(config: string, inputs?: Record<string, string>): Promise<ActionResult>;
  /** Inputs of a launch against these servers (without queue-config). */
  inputs(extra?: Record<string, string>): Record<string, string>;
  createCalls(): number;
  close(): Promise<void>;
}

export async function startPreflightWorld(): Promise<PreflightWorld> {
  const [vertex, storage, iam] = await Promise.all([
    startVertexEmulator({ tickMs: 60 }),
    startStorageEmulator(),
    startIamEmulator(),
  ]);
  const inputs = (extra: Record<string, string> = {}) => ({
    project: PROJECT,
    region: REGION,
    image: IMAGE,
    'vertex-endpoint': `http://${vertex.grpcAddress}`,
    'storage-endpoint': storage.url,
    'iam-endpoint': iam.url,
    'check-run': 'false',
    ...extra,
  });
  const world: PreflightWorld = {
    vertex,
    storage,
    iam,
    reset() {
      vertex.reset();
      storage.store.buckets.clear();
      storage.resetRequests();
      storage.addBucket(BUCKET, { location: 'US-CENTRAL1' });
      iam.accounts.clear();
      iam.resetRequests();
      iam.refuseCheck = new Set();
      iam.addAccount(RUN_AS);
    },
    addBucket: (name, options) => void storage.addBucket(name, options),
    async launch(config, extra = {}) {
      const workspace = await mkdtemp(path.join(os.tmpdir(), 'wbvl-preflight-'));
      await writeFile(path.join(workspace, 'queue.yaml'), config);
      return runAction({
        inputs: { 'queue-config': 'queue.yaml', ...inputs(extra) },
        env: { WB_VERTEX_LAUNCH_TIME_SCALE: '0.002' },
        workspace,
      });
    },
    inputs,
    createCalls: () => vertex.record().calls.filter((c) => c.method === 'CreateCustomJob').length,
    async close() {
      await Promise.all([vertex.stop(), storage.close(), iam.close()]);
    },
  };
  world.reset();
  return world;
}

/** `::error` / `::warning` annotations of the log that came from preflight. */
export function annotations(result: ActionResult, level: 'error' | 'warning'): string[] {
  return result.stdout
    .split('\n')
    .filter((l) => l.startsWith(`::${level} `) && l.includes('title=Preflight'))
    .map((l) => l.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'));
}
