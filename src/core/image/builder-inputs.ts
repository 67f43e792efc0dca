// The `builder`, `build-context-store` and `kaniko-image` inputs into BuilderSettings. Pure:
// the input reader comes in, problems go out, each naming its input.
import type { Problem } from '../errors.ts';
import { parseContextStore, type ContextStore } from './context-store.ts';
import { DEFAULT_KANIKO_IMAGE } from './kaniko.ts';
import { quoted } from '../quote.ts';

/** Where the image is built: the local Docker daemon, or Kaniko as a Vertex AI CustomJob. */
export type BuilderSettings =
  { kind: 'docker' } | { kind: 'kaniko'; contextStore: ContextStore; executorImage: string };

export function parseBuilderInputs(
  input: (name: string) => string,
  problems: Problem[],
): BuilderSettings {
  const kind = input('builder') || 'docker';
  const storeText = input('build-context-store');
  if (kind === 'docker') return { kind };
  if (kind !== 'kaniko') {
    problems.push({
      path: 'builder',
      message: `${quoted(kind)} is not a builder: docker (the runner's Docker daemon) or kaniko (Kaniko as a Vertex AI CustomJob)`,
    });
    return { kind: 'docker' };
  }
  const executorImage = input('kaniko-image') || DEFAULT_KANIKO_IMAGE;
  if (/\s/.test(executorImage))
    problems.push({
      path: 'kaniko-image',
      message: `${quoted(executorImage)} is not an image reference`,
    });
  if (!storeText) {
    problems.push({
      path: 'build-context-store',
      message:
        'required with builder: kaniko: gs://BUCKET/PREFIX, where build contexts are uploaded for the build job',
    });
    return { kind: 'docker' };
  }
  const parsed = parseContextStore(storeText);
  if (!parsed.ok) {
    problems.push(parsed.problem);
    return { kind: 'docker' };
  }
  return { kind: 'kaniko', contextStore: parsed.store, executorImage };
}
