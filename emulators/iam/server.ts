// Runs the IAM testIamPermissions stand-in until interrupted:
//   npx node emulators/iam/server.ts [--account EMAIL]... [--deny EMAIL]... [--tls-cert FILE --tls-key FILE]
// `--account` may be acted as, `--deny` exists but may not. Prints one JSON line with the URL to
// use as the `iam-endpoint` input.
import { parseArgs } from 'node:util';
import { serveUntilSignal, tlsFromFiles } from '../shared/cli.ts';
import { startIamEmulator } from './emulator.ts';

const { values } = parseArgs({
  options: {
    account: { type: 'string', multiple: true, default: [] },
    deny: { type: 'string', multiple: true, default: [] },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  },
});
const emulator = await startIamEmulator({
  tls: tlsFromFiles(values['tls-cert'], values['tls-key']),
});
for (const email of values.account) emulator.addAccount(email);
for (const email of values.deny) emulator.addAccount(email, { actAs: false });
serveUntilSignal({ url: emulator.url, accounts: [...emulator.accounts.keys()] }, () =>
  emulator.close(),
);
