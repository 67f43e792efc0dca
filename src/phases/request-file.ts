// The resolved request, written where later steps can read it (output `request-file`):
// under RUNNER_TEMP, never the workspace, with secrets shown as ***.
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateCustomJobRequestJson } from '../core/request.ts';

export async function writeRequestFile(
  printable: CreateCustomJobRequestJson,
  env: NodeJS.ProcessEnv,
  name: string,
): Promise<string> {
  const dir = join(env.RUNNER_TEMP || tmpdir(), 'wb-vertex-launch');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}.request.json`);
  // A new file only (O_EXCL): a link planted at this name by an earlier step is not followed.
  await writeFile(file, `${JSON.stringify(printable, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return file;
}
