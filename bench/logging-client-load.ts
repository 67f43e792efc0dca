// One measured process of bench/logs.ts: the time from process start to the first
// ListLogEntries page from a local emulator, with
//   subset: the action's way (src/logging/connection.ts: the generated LoggingServiceV2Client
//           handed the protos subset),
//   full:   the same client with the package's whole protos.json,
//   floor:  @grpc/grpc-js and @grpc/proto-loader with logging.proto alone (no google-gax).
// Prints the milliseconds (performance.now(), which counts from process start).
//   node bench/logging-client-load.ts subset|full|floor HOST:PORT
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const [mode, address] = process.argv.slice(2);
const request = {
  resourceNames: ['projects/bench'],
  filter: 'resource.type="ml_job" AND resource.labels.job_id="1"',
  orderBy: 'timestamp asc',
  pageSize: 1000,
};

if (mode === 'subset' || mode === 'full') {
  let client;
  if (mode === 'subset') {
    const { connectLogging } = await import('../src/logging/connection.ts');
    client = (await connectLogging({ endpoint: `http://${address}`, projectId: 'bench' })).client;
  } else {
    const [{ LoggingServiceV2Client }, grpc] = await Promise.all([
      import('@google-cloud/logging-api/build/src/v2/logging_service_v2_client.js'),
      import('@grpc/grpc-js'),
    ]);
    const [host, port] = address.split(':');
    client = new LoggingServiceV2Client({
      apiEndpoint: host,
      port: Number(port),
      sslCreds: grpc.credentials.createInsecure(),
      projectId: 'bench',
      fallback: false,
    });
  }
  await client.listLogEntries(request, { autoPaginate: false, retry: null });
  process.stdout.write(`${performance.now()}\n`);
  await client.close();
} else {
  const [grpc, loader] = await Promise.all([import('@grpc/grpc-js'), import('@grpc/proto-loader')]);
  const require = createRequire(import.meta.url);
  const protosOf = (pkg: string) => join(dirname(require.resolve(pkg)), '..', 'protos');
  const definition = loader.loadSync('google/logging/v2/logging.proto', {
    includeDirs: [protosOf('@google-cloud/logging-api'), protosOf('google-gax')],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const pkg = grpc.loadPackageDefinition(definition) as any;
  const client = new pkg.google.logging.v2.LoggingServiceV2(
    address,
    grpc.credentials.createInsecure(),
  );
  await new Promise((resolve, reject) =>
    client.listLogEntries(request, (err: Error | null) => (err ? reject(err) : resolve(null))),
  );
  process.stdout.write(`${performance.now()}\n`);
  client.close();
}
