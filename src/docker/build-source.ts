// What both builders (Docker here, Kaniko in src/kaniko/) start from and give back: the build
// context and Dockerfile resolved against the workspace, and the image pinned by digest.
import path from 'node:path';
import type { BuildSettings } from '../context.ts';

export interface BuildSource {
  build: BuildSettings;
  workspace: string;
}

export interface BuiltImage {
  /** `REPO@sha256:...`, what the job runs. */
  imageUri: string;
  digest: string;
  /** The content-addressed tag (`ctx-...`). */
  tag: string;
  skipped: boolean;
  reason: string;
}

export function resolvePaths(req: BuildSource): { contextDir: string; dockerfile: string } {
  const contextDir = path.resolve(req.workspace, req.build.context || '.');
  const dockerfile = req.build.dockerfile
    ? path.resolve(req.workspace, req.build.dockerfile)
    : path.join(contextDir, 'Dockerfile');
  return { contextDir, dockerfile };
}
