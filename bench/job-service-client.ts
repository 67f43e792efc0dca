// A bare JobService client: @grpc/grpc-js with the job_service.proto that
// @google-cloud/aiplatform ships, loaded by @grpc/proto-loader (no google-gax). Plaintext only:
// for the local emulator.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  credentials,
  loadPackageDefinition,
  type Client,
  type ServiceClientConstructor,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

type Callback = (err: Error | null, response: Record<string, unknown> | undefined) => void;

export interface JobServiceClient extends Client {
  createCustomJob(request: Record<string, unknown>, callback: Callback): void;
  cancelCustomJob(request: { name: string }, callback: Callback): void;
}

export function jobServiceClient(address: string): JobServiceClient {
  const require = createRequire(import.meta.url);
  const protosOf = (pkg: string) => join(dirname(require.resolve(pkg)), '..', 'protos');
  const definition = loadSync('google/cloud/aiplatform/v1/job_service.proto', {
    includeDirs: [protosOf('@google-cloud/aiplatform'), protosOf('google-gax')],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  const pkg = loadPackageDefinition(definition) as unknown as {
    google: { cloud: { aiplatform: { v1: { JobService: ServiceClientConstructor } } } };
  };
  const JobService = pkg.google.cloud.aiplatform.v1.JobService;
  return new JobService(address, credentials.createInsecure()) as unknown as JobServiceClient;
}
