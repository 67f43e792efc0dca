// Runs the IAM testIamPermissions stand-in until interrupted:
//   npx node emulators/iam/server.ts [--account EMAIL]... [--deny EMAIL]... [--tls-cert FILE --tls-key FILE]
// `--account` may be acted as, `--deny` exists but may not. Prints one JSON line with the URL to
// use as the `iam-endpoint` input.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startIamEmulator } from './emulator.ts';

const { values } = parseArgs({
  options: {
    account: { type: 'string', multiple: true, default: [] },
    deny: { type: 'string', multiple: true, default: [] },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  },
});
const tls =
  values['tls-cert'] && values['tls-key']
    ? { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']) }
    : undefined;
const emulator = await startIamEmulator({ tls });
for (const email of values.account) emulator.addAccount(email);
for (const email of values.deny) emulator.addAccount(email, { actAs: false });
process.stdout.write(
  JSON.stringify({ url: emulator.url, accounts: [...emulator.accounts.keys()] }) + '\n',
);
const stop = (): void => void emulator.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
