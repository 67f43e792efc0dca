// The floor for the submit-latency benchmark: the same CreateCustomJob call as the action makes,
// with nothing but @grpc/grpc-js and @grpc/proto-loader loading the same job_service.proto that
// @google-cloud/aiplatform ships (no google-gax, no client library, no auth).
//
//   npx node bench/floor-create.ts HOST:PORT REQUEST.json
// REQUEST.json is a CreateCustomJobRequest in proto3 JSON form (as the action's request-file).
// Prints the created job's name; exit 1 on an RPC error.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { credentials, loadPackageDefinition, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

const [address, requestFile] = process.argv.slice(2);
if (!address || !requestFile) {
  console.error('usage: floor-create.ts HOST:PORT REQUEST.json');
  process.exit(2);
}

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
const client = new pkg.google.cloud.aiplatform.v1.JobService(address, credentials.createInsecure());
const request = JSON.parse(readFileSync(requestFile, 'utf8')) as Record<string, unknown>;

client.createCustomJob(request, (err: Error | null, job: { name: string } | undefined) => {
  client.close();
  if (err) {
    console.error(`CreateCustomJob failed: ${err.message}`);
    process.exit(1);
  }
  console.log(job!.name);
});
