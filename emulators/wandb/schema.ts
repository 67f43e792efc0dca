// The part of W&B's GraphQL schema that the wandb SDK's public API reads runs with, under its
// real type, field and argument names (wandb/apis/public/runs.py, api.py). graphql-js serves
// it, so a query naming a field W&B does not have is a GraphQL error, as on W&B. W&B Launch's
// part (queues, items, job artifacts) is in launch-schema.ts.
import { buildSchema, type GraphQLSchema } from 'graphql';
import { LAUNCH_SDL } from './launch-schema.ts';

const SDL = /* GraphQL */ `
  scalar JSON
  scalar JSONString
  scalar DateTime

  type Query {
    viewer: User
    project(name: String, entityName: String): Project
  }

  type User {
    id: ID!
    name: String
    username: String
    entity: String
  }

  type Project {
    id: ID!
    internalId: ID!
    name: String!
    entityName: String!
    readOnly: Boolean
    runCount(filters: JSONString): Int!
    run(name: String!): Run
    runs(filters: JSONString, after: String, first: Int, order: String): RunConnection
  }

  type RunConnection {
    edges: [RunEdge!]!
    pageInfo: PageInfo!
  }

  type RunEdge {
    node: Run!
    cursor: String!
  }

  type PageInfo {
    endCursor: String
    hasNextPage: Boolean!
  }

  type Run {
    id: ID!
    name: String!
    displayName: String
    state: String
    projectId: Int
    config: JSONString
    summaryMetrics: JSONString
    systemMetrics: JSONString
    historyKeys: JSON
    historyLineCount: Int
    createdAt: DateTime
    heartbeatAt: DateTime
    tags: [String!]
    group: String
    jobType: String
    commit: String
    readOnly: Boolean
    description: String
    notes: String
    sweepName: String
    user: User
    sampledHistory(specs: [JSONString!]!): [JSON]
  }
`;

/**
 * The schema; its scalars pass values through (JSON), and resolvers parse JSONString arguments
 * themselves, so bad JSON there is a GraphQL error too.
 */
export function wandbSchema(): GraphQLSchema {
  return buildSchema(SDL + LAUNCH_SDL);
}
