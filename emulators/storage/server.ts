// Runs the Cloud Storage JSON-API stand-in until interrupted:
//   npx node emulators/storage/server.ts [--bucket NAME[=LOCATION]]... [--tls-cert FILE --tls-key FILE]
// LOCATION as Cloud Storage spells it (default US-CENTRAL1; `US` is a multi-region). Prints one
// JSON line with the URL to use as the `storage-endpoint` input.
import { parseArgs } from 'node:util';
import { serveUntilSignal, tlsFromFiles } from '../shared/cli.ts';
import { startStorageEmulator } from './emulator.ts';

const { values } = parseArgs({
  options: {
    bucket: { type: 'string', multiple: true, default: [] },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  },
});
const emulator = await startStorageEmulator({
  tls: tlsFromFiles(values['tls-cert'], values['tls-key']),
});
for (const spec of values.bucket) {
  const [name, location] = spec.split('=');
  emulator.addBucket(name, { location });
}
serveUntilSignal({ url: emulator.url, buckets: [...emulator.store.buckets.keys()] }, () =>
  emulator.close(),
);
