// Command-line entry for the Cloud Logging emulator:
//   npx node emulators/logging/server.ts [--host 127.0.0.1] [--port 0] [--admin-port 0]
//     [--script train|crash|none]... [--tick-ms 1000] [--tls-cert FILE --tls-key FILE]
//     [--require-token] [--tokens-file FILE] [--reads-per-minute N]
// Prints one JSON line, {"grpc":"HOST:PORT","admin":"http://HOST:PORT","tls":false}, then serves
// until SIGINT/SIGTERM. Each --script is bound to the next job id a read asks for.

import { parseArgs } from 'node:util';
import { GRPC_CLI_OPTIONS, grpcCliSettings, runCli, serveUntilSignal } from '../shared/cli.ts';
import { startLoggingEmulator } from './emulator.ts';
import { namedScript, SCRIPT_NAMES } from './scripts.ts';

const USAGE = `usage: server.ts [--host H] [--port N] [--admin-port N] [--script NAME]... [--tick-ms N]
                 [--tls-cert FILE --tls-key FILE] [--require-token] [--tokens-file FILE]
                 [--reads-per-minute N]
scripts: ${SCRIPT_NAMES.join(', ')}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...GRPC_CLI_OPTIONS,
      script: { type: 'string', multiple: true, default: [] },
      'reads-per-minute': { type: 'string' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const { tickMs, ...settings } = grpcCliSettings(values);
  const scripts = values.script.map((s) => namedScript(s, tickMs));
  const reads = values['reads-per-minute'];
  const emulator = await startLoggingEmulator({
    ...settings,
    readsPerWindow: reads === undefined ? undefined : Number(reads),
  });
  emulator.queueScripts(...scripts);
  serveUntilSignal(
    { grpc: emulator.grpcAddress, admin: emulator.adminUrl, tls: emulator.tls },
    () => emulator.stop(),
  );
}

runCli('logging emulator', USAGE, main);
