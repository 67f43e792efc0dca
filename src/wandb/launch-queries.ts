// The GraphQL operations of W&B Launch that the action sends, under the names and variables the
// wandb SDK gives them (wandb/apis/public/jobs.py `RunQueue`; wandb/sdk/internal/internal_api.py
// `pop_from_run_queue`, `ack_run_queue_item`, `fail_run_queue_item`; the artifact files query
// of wandb/sdk/artifacts), selecting only the fields the action reads. Queues live in project
// `model-registry` of their entity. `runSpec`, `config` and `schema` are JSONString values:
// JSON text, or an object on servers that decode them.

export const LAUNCH_PROJECT = 'model-registry';

export const RUN_QUEUE_METADATA_QUERY = `query GetRunQueueMetadata($projectName: String!, $entityName: String!, $runQueue: String!) {
  project(name: $projectName, entityName: $entityName) {
    runQueue(name: $runQueue) {
      id
      access
      defaultResourceConfigID
    }
  }
}`;

export const DEFAULT_RESOURCE_CONFIG_QUERY = `query GetDefaultResourceConfig($entityName: String!, $id: ID!) {
  entity(name: $entityName) {
    defaultResourceConfig(id: $id) {
      config
      resource
      templateVariables {
        name
        schema
      }
    }
  }
}`;

export const POP_MUTATION = `mutation popFromRunQueue($entity: String!, $project: String!, $queueName: String!, $launchAgentId: ID) {
  popFromRunQueue(input: {
    entityName: $entity,
    projectName: $project,
    queueName: $queueName,
    launchAgentId: $launchAgentId
  }) {
    runQueueItemId
    runSpec
  }
}`;

export const ACK_MUTATION = `mutation ackRunQueueItem($itemId: ID!, $runId: String!) {
  ackRunQueueItem(input: { runQueueItemId: $itemId, runName: $runId }) {
    success
  }
}`;

export const FAIL_MUTATION = `mutation failRunQueueItem($runQueueItemId: ID!, $message: String!, $stage: String!, $filePaths: [String!]) {
  failRunQueueItem(
    input: {
      runQueueItemId: $runQueueItemId
      message: $message
      stage: $stage
      filePaths: $filePaths
    }
  ) {
    success
  }
}`;

/** The files of one version of an artifact (a job's `wandb-job.json`), with their URLs. */
export const ARTIFACT_FILES_QUERY = `query ArtifactMembershipFiles($entity: String!, $project: String!, $collection: String!, $alias: String!, $fileNames: [String!]) {
  project(name: $project, entityName: $entity) {
    artifactCollection(name: $collection) {
      artifactMembership(aliasName: $alias) {
        files(names: $fileNames) {
          edges {
            node {
              name: displayName
              directUrl
            }
          }
        }
      }
    }
  }
}`;

export interface RunQueueMetadataResponse {
  project: {
    runQueue: { id: string; access?: string; defaultResourceConfigID?: string | null } | null;
  } | null;
}

export interface DefaultResourceConfigResponse {
  entity: {
    defaultResourceConfig: {
      config: unknown;
      resource: string;
      templateVariables: { name: string; schema: unknown }[] | null;
    } | null;
  } | null;
}

export interface PopResponse {
  popFromRunQueue: { runQueueItemId: string; runSpec: unknown } | null;
}

export interface SuccessResponse {
  ackRunQueueItem?: { success: boolean } | null;
  failRunQueueItem?: { success: boolean } | null;
}

export interface ArtifactFilesResponse {
  project: {
    artifactCollection: {
      artifactMembership: {
        files: { edges: { node: { name: string; directUrl: string } | null }[] };
      } | null;
    } | null;
  } | null;
}
