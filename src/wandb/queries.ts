// The GraphQL operations the action sends to W&B: the names, variables and fields of the wandb
// SDK's public API (wandb/apis/public/runs.py: `Run`, `RunSampledHistory`; api.py's default
// entity: `GetDefaultEntity`), so any W&B server that serves the SDK serves the action.
// `summaryMetrics` is a JSONString (JSON text); `sampledHistory` takes one JSONString spec per
// series (`{"keys": ["_step", KEY], "samples": N}`) and returns one list of rows per spec.

export const RUN_QUERY = `query Run($project: String!, $entity: String!, $name: String!) {
  project(name: $project, entityName: $entity) {
    run(name: $name) {
      id
      name
      displayName
      state
      summaryMetrics
      historyLineCount
      createdAt
      heartbeatAt
    }
  }
}`;

export const SAMPLED_HISTORY_QUERY = `query RunSampledHistory($project: String!, $entity: String!, $name: String!, $specs: [JSONString!]!) {
  project(name: $project, entityName: $entity) {
    run(name: $name) {
      sampledHistory(specs: $specs)
    }
  }
}`;

export const DEFAULT_ENTITY_QUERY = `query GetDefaultEntity {
  viewer {
    id
    entity
  }
}`;

export interface RunResponse {
  project: {
    run: {
      id: string;
      name: string;
      displayName?: string | null;
      state?: string | null;
      summaryMetrics?: string | null;
      historyLineCount?: number | null;
      createdAt?: string | null;
      heartbeatAt?: string | null;
    } | null;
  } | null;
}

export interface SampledHistoryResponse {
  project: { run: { sampledHistory: unknown[][] | null } | null } | null;
}

export interface DefaultEntityResponse {
  viewer: { id: string; entity?: string | null } | null;
}
