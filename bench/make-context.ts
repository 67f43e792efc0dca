// Generates a build context of many small files for the skip-build benchmark: a `FROM scratch`
// Dockerfile that COPYs everything, files spread over nested directories, and a .dockerignore
// that drops one directory. Deterministic for a given count.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface GeneratedContext {
  dir: string;
  files: number;
}

export async function makeContext(dir: string, files = 10_000): Promise<GeneratedContext> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY . /app/\n');
  await writeFile(path.join(dir, '.dockerignore'), '# generated\nscratch/\n*.tmp\n');
  const perDir = 100;
  const writes: Promise<void>[] = [];
  for (let d = 0; d * perDir < files; d++) {
    const sub = path.join(dir, 'src', `pkg${String(d % 10)}`, `mod${String(d).padStart(3, '0')}`);
    await mkdir(sub, { recursive: true });
    for (let f = 0; f < perDir && d * perDir + f < files; f++) {
      const n = d * perDir + f;
      writes.push(
        writeFile(path.join(sub, `file${n}.py`), `# module ${n}\nVALUE = ${n}\n`.repeat(4)),
      );
    }
    if (writes.length > 500) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  await mkdir(path.join(dir, 'scratch'), { recursive: true });
  await writeFile(path.join(dir, 'scratch', 'ignored.bin'), 'not sent to docker\n');
  return { dir, files };
}

// `npx node bench/make-context.ts DIR [COUNT]` makes a context by hand.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, count] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: make-context.ts DIR [COUNT]');
    process.exit(2);
  }
  const ctx = await makeContext(path.resolve(dir), count ? Number(count) : undefined);
  console.log(`${ctx.files} files in ${ctx.dir}`);
}
