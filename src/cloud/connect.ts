// Opening Vertex AI and Cloud Logging from a step's connection settings: whether credentials are
// needed (one rule for the action, its post step and the command line), resolving them, and the
// clients opened with them. Outside src/vertex/, Vertex connections are opened here only.
import type { AuthSettings } from '../context.ts';
import {
  resolveCredentials,
  type AuthRuntime,
  type GoogleCredentials,
} from '../google-auth/index.ts';
import { resolveLoggingEndpoint, type LoggingConnectOptions } from '../logging/index.ts';
import { connectVertex, resolveVertexEndpoint, type VertexConnection } from '../vertex/index.ts';

/** Where a step calls Google Cloud, and as whom (a LaunchContext is one). */
export interface CloudSettings {
  region: string;
  vertexEndpoint?: string;
  loggingEndpoint?: string;
  auth: AuthSettings;
  /** Known before any credentials (an input, a job's name); else they may name it. */
  project?: string;
}

/** What the step does beyond calling Vertex AI, as far as credentials go. */
export interface CloudUse {
  /** It pushes an image: the registry always takes a token. */
  push?: boolean;
  /** It reads Cloud Logging as well: that endpoint counts like Vertex's. */
  logs?: boolean;
  /** Without a known project it takes the credentials' (the action does, the CLI does not). */
  projectFromCredentials?: boolean;
}

/**
 * The one rule: a step goes without credentials only when every endpoint it calls is plaintext
 * (a local server, where no token may cross the wire unencrypted), it pushes nothing, no
 * workload identity provider is set, and it needs no project from the credentials.
 */
export function needsCredentials(settings: CloudSettings, use: CloudUse = {}): boolean {
  const universe = settings.auth.universe;
  const { region, vertexEndpoint: endpoint, loggingEndpoint } = settings;
  return (
    resolveVertexEndpoint({ region, endpoint, universe }).tls ||
    (Boolean(use.logs) && resolveLoggingEndpoint({ endpoint: loggingEndpoint, universe }).tls) ||
    Boolean(use.push) ||
    Boolean(settings.auth.workloadIdentityProvider) ||
    (Boolean(use.projectFromCredentials) && !settings.project)
  );
}

/** The step's credentials, or undefined when the rule says it needs none. */
export async function cloudCredentials(
  settings: CloudSettings,
  runtime: AuthRuntime & { group?<T>(title: string, fn: () => Promise<T>): Promise<T> },
  use: CloudUse = {},
): Promise<GoogleCredentials | undefined> {
  if (!needsCredentials(settings, use)) return undefined;
  const resolve = () => resolveCredentials(settings.auth, settings.project, runtime);
  return runtime.group ? runtime.group('Authenticating to Google Cloud', resolve) : resolve();
}

/** A Vertex AI connection in `settings.region`, for `settings.project`. */
export function openVertex(
  settings: CloudSettings,
  credentials: GoogleCredentials | undefined,
): Promise<VertexConnection> {
  return connectVertex({
    region: settings.region,
    endpoint: settings.vertexEndpoint,
    authClient: credentials?.authClient,
    projectId: settings.project,
    universe: settings.auth.universe,
  });
}

/** How the log follower opens Cloud Logging (src/logging/follow.ts connects when it reads). */
export function loggingConnection(
  settings: Omit<CloudSettings, 'region'>,
  credentials: GoogleCredentials | undefined,
): LoggingConnectOptions {
  return {
    endpoint: settings.loggingEndpoint,
    universe: settings.auth.universe,
    authClient: credentials?.authClient,
    projectId: settings.project,
  };
}
