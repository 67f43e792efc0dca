// Runs the Cloud Storage JSON-API stand-in until interrupted:
//   npx node emulators/storage/server.ts [--bucket NAME[=LOCATION]]... [--tls-cert FILE --tls-key FILE]
// LOCATION as Cloud Storage spells it (default US-CENTRAL1; `US` is a multi-region). Prints one
// JSON line with the URL to use as the `storage-endpoint` input.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startStorageEmulator } from './emulator.ts';

const { values } = parseArgs({
  options: {
    bucket: { type: 'string', multiple: true, default: [] },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  },
});
const tls =
  values['tls-cert'] && values['tls-key']
    ? { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']) }
    : undefined;
const emulator = await startStorageEmulator({ tls });
for (const spec of values.bucket) {
  const [name, location] = spec.split('=');
  emulator.addBucket(name, { location });
}
process.stdout.write(
  JSON.stringify({ url: emulator.url, buckets: [...emulator.store.buckets.keys()] }) + '\n',
);
const stop = (): void => void emulator.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
