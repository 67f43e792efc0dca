// Artifacts for the W&B stand-in: W&B Launch jobs, each an artifact of type `job` whose
// `wandb-job.json` says how to run it. Every add is a new version `vN` of the collection;
// `latest` and the seed's aliases name it. Files are served at a URL of their own (the
// `directUrl`), as W&B serves them from signed storage URLs.

export interface ArtifactSeed {
  /** Default `job`. */
  type?: string;
  /** Aliases besides `vN` (`latest` always moves to the newest version). */
  aliases?: string[];
  /** File name -> content; a job has `wandb-job.json`. */
  files: Record<string, string>;
}

export interface StoredArtifact {
  id: string;
  entity: string;
  project: string;
  collection: string;
  versionIndex: number;
  type: string;
  aliases: string[];
  files: { id: string; name: string; content: string }[];
}

export class ArtifactStore {
  private readonly artifacts: StoredArtifact[] = [];
  private counter = 0;

  /** `ENTITY/PROJECT/NAME`: a new version of that collection. */
  add(path: string, seed: ArtifactSeed): StoredArtifact {
    const [entity, project, collection] = path.split('/');
    if (!entity || !project || !collection) throw new Error(`not ENTITY/PROJECT/NAME: ${path}`);
    const versions = this.artifacts.filter(
      (a) => a.entity === entity && a.project === project && a.collection === collection,
    );
    const aliases = ['latest', ...(seed.aliases ?? [])];
    for (const older of versions) older.aliases = older.aliases.filter((a) => !aliases.includes(a));
    const n = ++this.counter;
    const artifact: StoredArtifact = {
      id: Buffer.from(`Artifact:${n}`).toString('base64'),
      entity,
      project,
      collection,
      versionIndex: versions.length,
      type: seed.type ?? 'job',
      aliases,
      files: Object.entries(seed.files).map(([name, content], i) => ({
        id: `${n}-${i}`,
        name,
        content,
      })),
    };
    this.artifacts.push(artifact);
    return artifact;
  }

  /** The version an alias (`latest`, `v3`, a custom one) names, if any. */
  find(
    entity: string,
    project: string,
    collection: string,
    alias: string,
  ): StoredArtifact | undefined {
    return this.artifacts.find(
      (a) =>
        a.entity === entity &&
        a.project === project &&
        a.collection === collection &&
        (a.aliases.includes(alias) || alias === `v${a.versionIndex}`),
    );
  }

  hasCollection(entity: string, project: string, collection: string): boolean {
    return this.artifacts.some(
      (a) => a.entity === entity && a.project === project && a.collection === collection,
    );
  }

  hasProject(entity: string, project: string): boolean {
    return this.artifacts.some((a) => a.entity === entity && a.project === project);
  }

  file(id: string): { name: string; content: string } | undefined {
    for (const a of this.artifacts) {
      const file = a.files.find((f) => f.id === id);
      if (file) return file;
    }
    return undefined;
  }

  clear(): void {
    this.artifacts.length = 0;
  }
}
