// Runs the GitHub REST emulator on its own: `npx node emulators/github/server.ts [--port N]`.
// Prints one JSON line `{"url": "http://127.0.0.1:PORT"}` and serves until SIGINT/SIGTERM.
// Point the action at it with GITHUB_API_URL=<url>.

import { serveUntilSignal } from '../shared/cli.ts';
import { startGitHubEmulator } from './emulator.ts';

const portArg = process.argv.indexOf('--port');
const port = portArg >= 0 ? Number(process.argv[portArg + 1]) : 0;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write('--port needs a number between 0 and 65535\n');
  process.exit(1);
}

const emulator = await startGitHubEmulator({ port });
serveUntilSignal({ url: emulator.url }, () => emulator.close());
