// The part of W&B's GraphQL schema that W&B Launch uses, under its real type, field and
// argument names: run queues (wandb/apis/public/jobs.py `RunQueue`), the agent's mutations
// (wandb/sdk/internal/internal_api.py: pop, ack, fail) and job artifacts with their files
// (wandb/sdk/artifacts). It extends schema.ts; a test validates the SDK's own query strings
// against the whole schema.

export const LAUNCH_SDL = /* GraphQL */ `
  extend type Query {
    entity(name: String!): Entity
  }

  extend type Project {
    runQueue(name: String!): RunQueue
    artifactCollection(name: String!): ArtifactCollection
  }

  type Entity {
    id: ID!
    name: String!
    isTeam: Boolean
    defaultResourceConfig(id: ID!): DefaultResourceConfig
  }

  type DefaultResourceConfig {
    id: ID!
    resource: String!
    config: JSONString
    templateVariables: [TemplateVariable!]!
  }

  type TemplateVariable {
    name: String!
    schema: JSONString!
    description: String
  }

  enum RunQueueAccessType {
    PROJECT
    USER
  }

  enum RunQueuePrioritizationMode {
    DISABLED
    V0
  }

  type RunQueue {
    id: ID!
    name: String!
    access: RunQueueAccessType!
    createdBy: Int
    defaultResourceConfigID: ID
    prioritizationMode: RunQueuePrioritizationMode
    externalLinks: JSONString
    runQueueItems(first: Int, after: String): RunQueueItemConnection!
    runQueueItem(id: ID!): RunQueueItem
  }

  type RunQueueItemConnection {
    edges: [RunQueueItemEdge!]!
    pageInfo: PageInfo!
  }

  type RunQueueItemEdge {
    node: RunQueueItem!
    cursor: String!
  }

  type RunQueueItem {
    id: ID!
    state: String!
    associatedRunId: String
    runSpec: JSONString
    error: RunQueueItemError
  }

  type RunQueueItemError {
    message: String!
    stage: String!
  }

  type Mutation {
    popFromRunQueue(input: PopFromRunQueueInput!): PopFromRunQueuePayload
    ackRunQueueItem(input: AckRunQueueItemInput!): AckRunQueueItemPayload
    failRunQueueItem(input: FailRunQueueItemInput!): FailRunQueueItemPayload
  }

  input PopFromRunQueueInput {
    entityName: String!
    projectName: String!
    queueName: String!
    launchAgentId: ID
    clientMutationId: String
  }

  type PopFromRunQueuePayload {
    runQueueItemId: ID!
    runSpec: JSONString!
    clientMutationId: String
  }

  input AckRunQueueItemInput {
    runQueueItemId: ID!
    runName: String!
    clientMutationId: String
  }

  type AckRunQueueItemPayload {
    success: Boolean!
    clientMutationId: String
  }

  input FailRunQueueItemInput {
    runQueueItemId: ID!
    message: String!
    stage: String!
    filePaths: [String!]
    clientMutationId: String
  }

  type FailRunQueueItemPayload {
    success: Boolean!
    clientMutationId: String
  }

  type ArtifactCollection {
    id: ID!
    name: String!
    artifactMembership(aliasName: String!): ArtifactCollectionMembership
  }

  type ArtifactCollectionMembership {
    id: ID!
    versionIndex: Int
    artifact: Artifact
    files(names: [String!], after: String, first: Int): FileConnection!
  }

  enum ArtifactState {
    PENDING
    COMMITTED
    DELETED
  }

  type ArtifactType {
    id: ID!
    name: String!
  }

  type Artifact {
    id: ID!
    versionIndex: Int
    state: ArtifactState!
    digest: String!
    artifactType: ArtifactType!
  }

  type FileConnection {
    totalCount: Int!
    pageInfo: PageInfo!
    edges: [FileEdge!]!
  }

  type FileEdge {
    node: File
    cursor: String!
  }

  type File {
    id: ID!
    name: String!
    displayName: String!
    url: String
    directUrl: String!
    sizeBytes: Int!
    storagePath: String
    mimetype: String
    updatedAt: DateTime
    digest: String
    md5: String!
  }
`;
