// Watches /proc from a worker thread (so it keeps polling while the test's event loop is busy)
// and records the command line and environment of every matching process it sees, so a test
// can assert that a secret never appeared in either.
import { Worker } from 'node:worker_threads';

export interface SeenProcess {
  pid: number;
  cmdline: string;
  environ: string;
}

// Plain JS for the worker (eval'd): poll every millisecond until told to stop.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const prefix = workerData.prefix;
const stop = new Int32Array(workerData.stop);
const seen = new Map();
parentPort.postMessage('ready');
while (Atomics.load(stop, 0) === 0) {
  let pids = [];
  try { pids = fs.readdirSync('/proc').filter((p) => /^[0-9]+$/.test(p)); } catch {}
  for (const pid of pids) {
    try {
      const cmdline = fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\\0').join(' ').trim();
      if (!cmdline.startsWith(prefix)) continue;
      const key = pid + ' ' + cmdline;
      if (seen.has(key)) continue;
      let environ = '';
      try { environ = fs.readFileSync('/proc/' + pid + '/environ', 'utf8').split('\\0').join('\\n'); } catch {}
      seen.set(key, { pid: Number(pid), cmdline, environ });
    } catch {}
  }
  Atomics.wait(stop, 0, 0, 1);
}
parentPort.postMessage([...seen.values()]);
`;

/** Starts watching; resolves once the worker is polling. */
export async function watchProcesses(prefix: string): Promise<{ stop(): Promise<SeenProcess[]> }> {
  const stopFlag = new SharedArrayBuffer(4);
  const worker = new Worker(WORKER, { eval: true, workerData: { prefix, stop: stopFlag } });
  let ready!: () => void;
  const started = new Promise<void>((r) => (ready = r));
  const result = new Promise<SeenProcess[]>((resolve, reject) => {
    worker.on('message', (m: unknown) => (m === 'ready' ? ready() : resolve(m as SeenProcess[])));
    worker.once('error', reject);
  });
  await Promise.race([started, result]);
  return {
    async stop() {
      Atomics.store(new Int32Array(stopFlag), 0, 1);
      const seen = await result;
      await worker.terminate();
      return seen;
    },
  };
}
