// Waits until the Vertex emulator says a job has ended (its scripted life is a few ticks).
import type { VertexEmulator } from '../../emulators/vertex/emulator.ts';

export async function jobEnded(vertex: VertexEmulator, name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const job = vertex.record().jobs.find((j) => j.name === name);
    if (job && /SUCCEEDED|FAILED|CANCELLED/.test(String(job.state))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not end`);
}
