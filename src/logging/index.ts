// The Cloud Logging adapter: a job's log entries, followed into the step log.
export {
  connectLogging,
  type LoggingConnection,
  type LoggingConnectOptions,
} from './connection.ts';
export { resolveLoggingEndpoint, type LoggingEndpoint } from './endpoint.ts';
export {
  followJobLogs,
  type LogFollower,
  type LogFollowOptions,
  type LogFollowResult,
} from './follow.ts';
