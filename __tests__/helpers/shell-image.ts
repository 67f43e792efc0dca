// A tiny base image with a shell, made from this machine's own binaries (nothing can be pulled
// here): /bin/sh, head, cat and sleep with the libraries they link, imported with `docker import` and
// pushed to the test registry, so Dockerfiles can `FROM` it and `RUN` steps as on a real base.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DockerDaemon } from './docker-env.ts';

const PROGRAMS = ['/bin/sh', '/usr/bin/head', '/usr/bin/cat', '/usr/bin/sleep'];

function addWithLibraries(root: string, program: string) {
  const place = (file: string, at: string) => {
    mkdirSync(path.join(root, path.dirname(at)), { recursive: true });
    copyFileSync(realpathSync(file), path.join(root, at));
  };
  place(program, program);
  const ldd = execFileSync('ldd', [realpathSync(program)], { encoding: 'utf8' });
  for (const lib of ldd.match(/\/\S+/g) ?? []) place(lib, lib);
}

/** A tar of the root file system: the programs and their shared libraries. */
export function shellRootfsTar(): { tar: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wbvl-rootfs-'));
  const root = path.join(dir, 'root');
  for (const p of PROGRAMS) addWithLibraries(root, p);
  const tar = path.join(dir, 'rootfs.tar');
  execFileSync('tar', ['-C', root, '-cf', tar, '.']);
  return { tar, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Import the shell image into `daemon` and push it as `ref` (the daemon logs in with `token`). */
export function pushShellImage(daemon: DockerDaemon, ref: string, token: string): void {
  const { tar, cleanup } = shellRootfsTar();
  try {
    daemon.docker(['import', tar, ref]);
    daemon.docker(
      ['login', '--username', 'oauth2accesstoken', '--password-stdin', ref.split('/')[0]],
      token + '\n',
    );
    daemon.docker(['push', ref]);
  } finally {
    cleanup();
  }
}
