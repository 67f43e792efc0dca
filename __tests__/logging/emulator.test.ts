// The Cloud Logging emulator itself, through the real LoggingServiceV2Client: filters it does
// not understand are refused, not matched loosely; entries only show once visible.
import { connectLogging, type LoggingConnection } from '../../src/logging/index.ts';
import { startEmulator, sleep } from './helpers.ts';
import type { LoggingEmulator } from '../../emulators/logging/emulator.ts';

let emulator: LoggingEmulator;
let conn: LoggingConnection;
beforeAll(async () => {
  emulator = await startEmulator();
  conn = await connectLogging({ endpoint: `http://${emulator.grpcAddress}`, projectId: 'p' });
});
afterAll(async () => {
  await conn?.close();
  await emulator?.stop();
});

const list = (filter: string) =>
  conn.client.listLogEntries(
    { resourceNames: ['projects/p'], filter, orderBy: 'timestamp asc' },
    { autoPaginate: false, retry: null },
  );

test('an unsupported filter is INVALID_ARGUMENT; entries appear only once visible', async () => {
  await expect(list('resource.type="ml_job" OR severity>=ERROR')).rejects.toMatchObject({
    code: 3,
  });
  emulator.script('9', {
    entries: [
      { at: 0, replica: 'w0', text: 'now' },
      { at: 0, replica: 'w0', text: 'later', lateMs: 300 },
    ],
  });
  const [first] = await list('resource.labels.job_id="9" AND severity>=DEFAULT');
  expect(first.map((e) => e.textPayload)).toEqual(['now']);
  await sleep(350);
  const [second] = await list('resource.labels.job_id="9"');
  expect(second.map((e) => e.textPayload)).toEqual(['now', 'later']);
});
