// Command-line entry for the Vertex AI emulator:
//   npx node emulators/vertex/server.ts [--host 127.0.0.1] [--port 0] [--admin-port 0]
//     [--scenario succeed] [--tick-ms 1000] [--tls-cert FILE --tls-key FILE]
//     [--require-token] [--tokens-file FILE]
// Prints one JSON line, {"grpc":"HOST:PORT","admin":"http://HOST:PORT","tls":false}, then serves
// until SIGINT/SIGTERM. Accepted tokens come from a file (one per line) or the admin endpoint,
// never from argv. The admin endpoint also sets per-region capacity: POST /capacity
// {"region":"us-central1","outOf":["NVIDIA_TESLA_T4"]} (a stockout) or "quotaExhausted" (Create refused).

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startVertexEmulator } from './emulator.ts';
import { SCENARIO_NAMES } from './scenarios.ts';

const USAGE = `usage: server.ts [--host H] [--port N] [--admin-port N] [--scenario NAME] [--tick-ms N]
                 [--tls-cert FILE --tls-key FILE] [--require-token] [--tokens-file FILE]
scenarios: ${SCENARIO_NAMES.join(', ')}`;

function portOf(value: string | undefined, flag: string): number {
  const n = Number(value ?? '0');
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag} must be a port number`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      'admin-port': { type: 'string', default: '0' },
      scenario: { type: 'string', default: 'succeed' },
      'tick-ms': { type: 'string', default: '1000' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'require-token': { type: 'boolean' },
      'tokens-file': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) {
    throw new Error('--tls-cert and --tls-key go together');
  }
  const tickMs = Number(values['tick-ms']);
  if (!(tickMs > 0)) throw new Error('--tick-ms must be a positive number of milliseconds');
  const tokens = values['tokens-file']
    ? readFileSync(values['tokens-file'], 'utf8')
        .split('\n')
        .map((t) => t.trim())
        .filter(Boolean)
    : [];
  const emulator = await startVertexEmulator({
    host: values.host,
    port: portOf(values.port, '--port'),
    adminPort: portOf(values['admin-port'], '--admin-port'),
    scenario: values.scenario,
    tickMs,
    tls: values['tls-cert']
      ? { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']!) }
      : undefined,
    requireToken: values['require-token'],
    acceptedTokens: tokens,
  });
  process.stdout.write(
    JSON.stringify({ grpc: emulator.grpcAddress, admin: emulator.adminUrl, tls: emulator.tls }) +
      '\n',
  );
  const stop = () => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(`vertex emulator: ${(e as Error).message}\n${USAGE}`);
  process.exit(2);
});
