// Command-line entry for the Vertex AI emulator:
//   npx node emulators/vertex/server.ts [--host 127.0.0.1] [--port 0] [--admin-port 0]
//     [--scenario succeed] [--tick-ms 1000] [--tls-cert FILE --tls-key FILE]
//     [--require-token] [--tokens-file FILE]
// Prints one JSON line, {"grpc":"HOST:PORT","admin":"http://HOST:PORT","tls":false}, then serves
// until SIGINT/SIGTERM. Accepted tokens come from a file (one per line) or the admin endpoint,
// never from argv. The admin endpoint also sets per-region capacity: POST /capacity
// {"region":"us-central1","outOf":["NVIDIA_TESLA_T4"]} (a stockout) or "quotaExhausted" (Create refused).

import { parseArgs } from 'node:util';
import { GRPC_CLI_OPTIONS, grpcCliSettings, runCli, serveUntilSignal } from '../shared/cli.ts';
import { startVertexEmulator } from './emulator.ts';
import { SCENARIO_NAMES } from './scenarios.ts';

const USAGE = `usage: server.ts [--host H] [--port N] [--admin-port N] [--scenario NAME] [--tick-ms N]
                 [--tls-cert FILE --tls-key FILE] [--require-token] [--tokens-file FILE]
scenarios: ${SCENARIO_NAMES.join(', ')}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { ...GRPC_CLI_OPTIONS, scenario: { type: 'string', default: 'succeed' } },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const emulator = await startVertexEmulator({
    ...grpcCliSettings(values),
    scenario: values.scenario,
  });
  serveUntilSignal(
    { grpc: emulator.grpcAddress, admin: emulator.adminUrl, tls: emulator.tls },
    () => emulator.stop(),
  );
}

runCli('vertex emulator', USAGE, main);
