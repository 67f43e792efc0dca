// Generates src/logging/logging-protos.generated.json: the part of the protos.json that
// @google-cloud/logging-api ships (the generated clients @google-cloud/logging itself uses)
// which the LoggingServiceV2Client needs to read entries. Usage:
//   node scripts/gen-logging-protos.ts [--check]
import { createRequire } from 'node:module';
import type protobuf from 'protobufjs';
import { protoSubset, writeOrCheck } from './proto-subset.ts';

const OUT = 'src/logging/logging-protos.generated.json';
const require = createRequire(import.meta.url);
const full = require('@google-cloud/logging-api/build/protos/protos.json') as protobuf.INamespace;
const text = protoSubset(full, {
  service: 'google.logging.v2.LoggingServiceV2',
  // Tail is kept so the client's stub describes it; the follower reads with List (see
  // src/core/logs/pacing.ts for why).
  methods: ['ListLogEntries', 'TailLogEntries'],
});
writeOrCheck(OUT, text, 'node scripts/gen-logging-protos.ts');
