// Generates src/vertex/job-service-protos.generated.json: the part of the protos.json that
// @google-cloud/aiplatform ships which the JobServiceClient needs for the calls this action
// makes (the CustomJob methods, and the types the client's constructor looks up). The client
// parses its protos when it is constructed; the whole 4 MB file costs about a second of
// start-up, this subset a small fraction of it. Usage: node scripts/gen-vertex-protos.ts [--check]
import { createRequire } from 'node:module';
import type protobuf from 'protobufjs';
import { protoSubset, writeOrCheck } from './proto-subset.ts';

const OUT = 'src/vertex/job-service-protos.generated.json';
/** The JobService methods the adapter calls. */
export const METHODS = [
  'CreateCustomJob',
  'GetCustomJob',
  'ListCustomJobs',
  'CancelCustomJob',
  'DeleteCustomJob',
];

const require = createRequire(import.meta.url);
const full = require('@google-cloud/aiplatform/build/protos/protos.json') as protobuf.INamespace;
const text = protoSubset(full, {
  service: 'google.cloud.aiplatform.v1.JobService',
  methods: METHODS,
  // Types the client's constructor looks up for its long-running operations.
  lookedUp: [
    'google.protobuf.Empty',
    'google.cloud.aiplatform.v1.DeleteOperationMetadata',
    'google.cloud.aiplatform.v1.ModelDeploymentMonitoringJob',
    'google.cloud.aiplatform.v1.UpdateModelDeploymentMonitoringJobOperationMetadata',
  ],
});
writeOrCheck(OUT, text, 'node scripts/gen-vertex-protos.ts');
