// The floor for the submit-latency benchmark: the same CreateCustomJob call as the action makes,
// with nothing but @grpc/grpc-js and @grpc/proto-loader loading the same job_service.proto that
// @google-cloud/aiplatform ships (no google-gax, no client library, no auth).
//
//   npx node bench/floor-create.ts HOST:PORT REQUEST.json
// REQUEST.json is a CreateCustomJobRequest in proto3 JSON form (as the action's request-file).
// Prints the created job's name; exit 1 on an RPC error.
import { readFileSync } from 'node:fs';
import { jobServiceClient } from './job-service-client.ts';

const [address, requestFile] = process.argv.slice(2);
if (!address || !requestFile) {
  console.error('usage: floor-create.ts HOST:PORT REQUEST.json');
  process.exit(2);
}

const client = jobServiceClient(address);
const request = JSON.parse(readFileSync(requestFile, 'utf8')) as Record<string, unknown>;
client.createCustomJob(request, (err, job) => {
  client.close();
  if (err) {
    console.error(`CreateCustomJob failed: ${err.message}`);
    process.exit(1);
  }
  console.log(String(job?.name));
});
