// The runs a W&B stand-in serves, by `ENTITY/PROJECT/RUN_ID`: their state, summary metrics and
// history rows. Runs may appear only after some reads (a run still syncing when its job ends)
// and stay `running` for a few reads more.

export interface RunSeed {
  state?: string;
  displayName?: string;
  /** Summary metrics; non-finite numbers are sent as W&B's Python writes them (bare NaN). */
  summary?: Record<string, unknown>;
  /** History rows, each with `_step`. */
  history?: Record<string, unknown>[];
  config?: Record<string, unknown>;
  /** RFC 3339; default when added. */
  createdAt?: string;
  /** The run is unknown to the first N reads of it. */
  appearAfterReads?: number;
  /** The run reads as `running` for its first N reads (after it appears), then as `state`. */
  runningForReads?: number;
}

export interface StoredRun extends Required<Pick<RunSeed, 'summary' | 'history' | 'config'>> {
  entity: string;
  project: string;
  name: string;
  id: string;
  state: string;
  displayName: string;
  createdAt: string;
  appearAfterReads: number;
  runningForReads: number;
  reads: number;
}

export function runKey(entity: string, project: string, name: string): string {
  return `${entity}/${project}/${name}`;
}

export class RunStore {
  private readonly runs = new Map<string, StoredRun>();
  /** Asked for a run it does not hold: may make one (e.g. for a job the Vertex stand-in ran). */
  resolve?: (entity: string, project: string, name: string) => RunSeed | undefined;

  add(path: string, seed: RunSeed = {}): StoredRun {
    const [entity, project, name] = path.split('/');
    if (!entity || !project || !name) throw new Error(`not a run path: ${path}`);
    const run: StoredRun = {
      entity,
      project,
      name,
      id: Buffer.from(`Run:v1:${name}:${project}:${entity}`).toString('base64'),
      state: seed.state ?? 'finished',
      displayName: seed.displayName ?? `${name}-run`,
      summary: seed.summary ?? {},
      history: seed.history ?? [],
      config: seed.config ?? {},
      createdAt: seed.createdAt ?? new Date().toISOString(),
      appearAfterReads: seed.appearAfterReads ?? 0,
      runningForReads: seed.runningForReads ?? 0,
      reads: 0,
    };
    this.runs.set(runKey(entity, project, name), run);
    return run;
  }

  private find(entity: string, project: string, name: string): StoredRun | undefined {
    const key = runKey(entity, project, name);
    let run = this.runs.get(key);
    if (!run) {
      const seed = this.resolve?.(entity, project, name);
      if (seed) run = this.add(key, seed);
    }
    return run;
  }

  /** One read of a run, as the API sees it then; undefined while it has not appeared. */
  read(entity: string, project: string, name: string): StoredRun | undefined {
    const run = this.find(entity, project, name);
    if (!run) return undefined;
    run.reads++;
    if (run.reads <= run.appearAfterReads) return undefined;
    const running = run.reads - run.appearAfterReads <= run.runningForReads;
    return running ? { ...run, state: 'running' } : run;
  }

  /** Whether the project has any run (unknown projects read as null). */
  hasProject(entity: string, project: string): boolean {
    return (
      [...this.runs.values()].some((r) => r.entity === entity && r.project === project) ||
      this.resolve !== undefined
    );
  }

  inProject(entity: string, project: string): StoredRun[] {
    return [...this.runs.values()].filter((r) => r.entity === entity && r.project === project);
  }

  clear(): void {
    this.runs.clear();
  }
}
