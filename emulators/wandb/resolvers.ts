// The W&B stand-in's answers: the root value graphql-js resolves the schema against. Objects
// carry their fields as properties or methods (graphql-js's default resolver calls methods with
// the field's arguments).
import {
  hasLaunchProject,
  launchProjectFields,
  launchRootFields,
  type LaunchStores,
} from './launch-resolvers.ts';
import type { RunStore, StoredRun } from './store.ts';

/** JSON text as W&B's Python writes it: NaN and Infinity as bare tokens, not strings. */
export function pythonJson(value: unknown): string {
  const mark = '__wbvl_nonfinite__:';
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? mark + String(v) : v,
  ).replace(new RegExp(`"${mark}(-?Infinity|NaN)"`, 'g'), '$1');
}

function parseJsonArg(name: string, text: unknown): unknown {
  if (text === undefined || text === null) return undefined;
  try {
    return JSON.parse(String(text));
  } catch {
    throw new Error(`Argument "${name}" is not valid JSON: ${String(text).slice(0, 80)}`);
  }
}

function evenly<T>(rows: T[], count: number): T[] {
  if (rows.length <= count) return rows;
  if (count <= 1) return rows.slice(-1);
  return Array.from(
    { length: count },
    (_, i) => rows[Math.round((i * (rows.length - 1)) / (count - 1))],
  );
}

/** `sampledHistory`: per spec, the rows holding every key, cut to those keys, thinned evenly. */
function sampled(run: StoredRun, specs: string[]): unknown[][] {
  return specs.map((text) => {
    const spec = parseJsonArg('specs', text) as { keys?: unknown; samples?: unknown };
    if (!Array.isArray(spec?.keys) || !spec.keys.every((k) => typeof k === 'string')) {
      throw new Error('Each spec needs "keys": a list of metric names.');
    }
    const keys = spec.keys as string[];
    const samples = typeof spec.samples === 'number' && spec.samples > 0 ? spec.samples : 500;
    const rows = run.history
      .filter((row) => keys.every((k) => Object.hasOwn(row, k)))
      .map((row) => Object.fromEntries(keys.map((k) => [k, row[k]])));
    return evenly(rows, samples);
  });
}

function historyKeys(run: StoredRun) {
  const keys: Record<string, { typeCounts: { type: string; count: number }[] }> = {};
  for (const row of run.history) {
    for (const [k, v] of Object.entries(row)) {
      const type = typeof v === 'number' ? 'number' : typeof v;
      const entry = (keys[k] ??= { typeCounts: [] });
      const count = entry.typeCounts.find((t) => t.type === type);
      if (count) count.count++;
      else entry.typeCounts.push({ type, count: 1 });
    }
  }
  const last = run.history.at(-1)?._step;
  return { lastStep: typeof last === 'number' ? last : -1, keys };
}

function runObject(run: StoredRun, projectId: number) {
  return {
    id: run.id,
    name: run.name,
    displayName: run.displayName,
    state: run.state,
    projectId,
    config: pythonJson(run.config),
    summaryMetrics: pythonJson(run.summary),
    systemMetrics: '{}',
    historyKeys: historyKeys(run),
    historyLineCount: run.history.length,
    createdAt: run.createdAt,
    heartbeatAt: run.createdAt,
    tags: [],
    group: null,
    jobType: null,
    commit: null,
    readOnly: false,
    description: null,
    notes: null,
    sweepName: null,
    user: { id: 'VXNlcjox', name: 'CI', username: 'ci' },
    sampledHistory: ({ specs }: { specs: string[] }) => sampled(run, specs),
  };
}

type Filter = Record<string, unknown>;

/** The `filters` W&B's Runs query takes (MongoDB-like): equality, $in, $and, $or on run fields. */
function matches(run: StoredRun, filter: Filter): boolean {
  return Object.entries(filter).every(([key, want]) => {
    if (key === '$and') return (want as Filter[]).every((f) => matches(run, f));
    if (key === '$or') return (want as Filter[]).some((f) => matches(run, f));
    const fields: Record<string, unknown> = {
      name: run.name,
      state: run.state,
      displayName: run.displayName,
      display_name: run.displayName,
    };
    if (!Object.hasOwn(fields, key)) throw new Error(`Unsupported run filter field: ${key}`);
    const have = fields[key];
    if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
      const ops = want as Record<string, unknown>;
      return Object.entries(ops).every(([op, v]) => {
        if (op === '$in') return Array.isArray(v) && v.includes(have);
        if (op === '$ne') return have !== v;
        if (op === '$eq') return have === v;
        throw new Error(`Unsupported filter operator: ${op}`);
      });
    }
    return have === want;
  });
}

function ordered(runs: StoredRun[], order: string | undefined): StoredRun[] {
  const o = order || '+created_at';
  const m = /^([+-]?)(created_at|name)$/.exec(o);
  if (!m) throw new Error(`Unsupported order: ${o}`);
  const dir = m[1] === '-' ? -1 : 1;
  const key = (r: StoredRun) => (m[2] === 'name' ? r.name : r.createdAt);
  return [...runs].sort((a, b) => dir * key(a).localeCompare(key(b)));
}

export function rootValue(store: RunStore, viewerEntity: string | undefined, launch: LaunchStores) {
  return {
    ...launchRootFields(launch),
    viewer: () =>
      viewerEntity ? { id: 'VXNlcjox', name: 'CI', username: 'ci', entity: viewerEntity } : null,
    project: ({ name, entityName }: { name?: string; entityName?: string }) => {
      const entity = entityName ?? viewerEntity;
      if (!name || !entity) return null;
      if (!store.hasProject(entity, name) && !hasLaunchProject(launch, entity, name)) return null;
      const projectId = 1;
      const listed = (filters: unknown) => {
        const filter = (parseJsonArg('filters', filters) ?? {}) as Filter;
        return store.inProject(entity, name).filter((r) => matches(r, filter));
      };
      return {
        id: Buffer.from(`Project:${entity}/${name}`).toString('base64'),
        internalId: String(projectId),
        name,
        entityName: entity,
        readOnly: false,
        ...launchProjectFields(launch, entity, name),
        run: ({ name: runName }: { name: string }) => {
          const run = store.read(entity, name, runName);
          return run ? runObject(run, projectId) : null;
        },
        runCount: ({ filters }: { filters?: string }) => listed(filters).length,
        runs: (args: { filters?: string; after?: string; first?: number; order?: string }) => {
          const all = ordered(listed(args.filters), args.order);
          const start = args.after ? Number(Buffer.from(args.after, 'base64').toString()) + 1 : 0;
          const page = all.slice(start, start + (args.first ?? 50));
          const cursor = (i: number) => Buffer.from(String(start + i)).toString('base64');
          return {
            edges: page.map((run, i) => ({ node: runObject(run, projectId), cursor: cursor(i) })),
            pageInfo: {
              endCursor: page.length > 0 ? cursor(page.length - 1) : null,
              hasNextPage: start + page.length < all.length,
            },
          };
        },
      };
    },
  };
}
