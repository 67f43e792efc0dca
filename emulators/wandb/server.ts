// Runs the W&B API stand-in until interrupted:
//   npx node emulators/wandb/server.ts --key KEY [--entity E] [--run ENTITY/PROJECT/RUN_ID]...
// Each `--run` is a synthetic finished training run (synthetic.ts). Prints one JSON line with
// the URL to use as the `wandb-base-url` input.
import { parseArgs } from 'node:util';
import { serveUntilSignal } from '../shared/cli.ts';
import { startWandbEmulator } from './emulator.ts';
import { trainingRun } from './synthetic.ts';

const { values } = parseArgs({
  options: {
    key: { type: 'string', multiple: true, default: [] },
    entity: { type: 'string' },
    run: { type: 'string', multiple: true, default: [] },
  },
});
if (values.key.length === 0) {
  process.stderr.write(
    'usage: server.ts --key KEY [--entity E] [--run ENTITY/PROJECT/RUN_ID]...\n',
  );
  process.exit(2);
}
const emulator = await startWandbEmulator({ apiKeys: values.key, defaultEntity: values.entity });
for (const path of values.run) emulator.addRun(path, trainingRun(path.split('/').pop() ?? path));
serveUntilSignal({ url: emulator.url, runs: values.run }, () => emulator.close());
