// The W&B stand-in's answers for W&B Launch (launch-schema.ts): run queues and their default
// resource configs, the agent's pop, ack and fail, and job artifacts with their files.
import type { ArtifactStore, StoredArtifact } from './artifacts.ts';
import type { QueueStore, StoredItem, StoredQueue } from './queues.ts';

/** Queues live in this project of their entity, as in W&B. */
export const LAUNCH_PROJECT = 'model-registry';

export interface LaunchStores {
  queues: QueueStore;
  artifacts: ArtifactStore;
  /** The URL a file is served at (the emulator's own address). */
  fileUrl: (id: string, name: string) => string;
}

function itemObject(item: StoredItem) {
  return {
    id: item.id,
    state: item.state,
    associatedRunId: item.associatedRunId ?? null,
    runSpec: JSON.stringify(item.seed.runSpec),
    error: item.failure ? { message: item.failure.message, stage: item.failure.stage } : null,
  };
}

function queueObject(stores: LaunchStores, queue: StoredQueue) {
  const items = () => stores.queues.itemsOf(queue.entity, queue.name);
  return {
    id: queue.id,
    name: queue.name,
    access: 'PROJECT',
    createdBy: 1,
    defaultResourceConfigID: queue.configId,
    prioritizationMode: 'DISABLED',
    externalLinks: '{}',
    runQueueItems: ({ first }: { first?: number }) => {
      const page = items().slice(0, first ?? 100);
      return {
        edges: page.map((item) => ({ node: itemObject(item), cursor: item.id })),
        pageInfo: { endCursor: page.at(-1)?.id ?? null, hasNextPage: page.length < items().length },
      };
    },
    runQueueItem: ({ id }: { id: string }) => {
      const item = items().find((i) => i.id === id);
      return item ? itemObject(item) : null;
    },
  };
}

function membershipObject(stores: LaunchStores, artifact: StoredArtifact) {
  return {
    id: Buffer.from(`ArtifactCollectionMembership:${artifact.id}`).toString('base64'),
    versionIndex: artifact.versionIndex,
    artifact: {
      id: artifact.id,
      versionIndex: artifact.versionIndex,
      state: 'COMMITTED',
      digest: artifact.id,
      artifactType: { id: `type-${artifact.type}`, name: artifact.type },
    },
    files: ({ names, first }: { names?: string[]; first?: number }) => {
      const files = artifact.files.filter((f) => !names || names.includes(f.name));
      const page = files.slice(0, first ?? 50);
      return {
        totalCount: files.length,
        pageInfo: { endCursor: page.at(-1)?.id ?? null, hasNextPage: page.length < files.length },
        edges: page.map((f) => {
          const url = stores.fileUrl(f.id, f.name);
          const size = Buffer.byteLength(f.content);
          return {
            cursor: f.id,
            node: {
              ...{ id: f.id, name: f.name, displayName: f.name, url, directUrl: url },
              ...{ sizeBytes: size, storagePath: null, mimetype: 'application/json' },
              ...{ updatedAt: null, digest: null, md5: '' },
            },
          };
        }),
      };
    },
  };
}

/** Fields W&B Launch adds to a project (`runQueue`, `artifactCollection`). */
export function launchProjectFields(stores: LaunchStores, entity: string, project: string) {
  return {
    runQueue: ({ name }: { name: string }) => {
      const queue = project === LAUNCH_PROJECT ? stores.queues.queue(entity, name) : undefined;
      return queue ? queueObject(stores, queue) : null;
    },
    artifactCollection: ({ name }: { name: string }) =>
      stores.artifacts.hasCollection(entity, project, name)
        ? {
            id: Buffer.from(`ArtifactCollection:${entity}/${project}/${name}`).toString('base64'),
            name,
            artifactMembership: ({ aliasName }: { aliasName: string }) => {
              const found = stores.artifacts.find(entity, project, name, aliasName);
              return found ? membershipObject(stores, found) : null;
            },
          }
        : null,
  };
}

/** Whether W&B Launch data makes the project exist. */
export function hasLaunchProject(stores: LaunchStores, entity: string, project: string): boolean {
  return (
    (project === LAUNCH_PROJECT && stores.queues.hasEntity(entity)) ||
    stores.artifacts.hasProject(entity, project)
  );
}

/** The root fields: `entity { defaultResourceConfig }` and the agent's mutations. */
export function launchRootFields(stores: LaunchStores) {
  const { queues } = stores;
  return {
    entity: ({ name }: { name: string }) => ({
      id: Buffer.from(`Entity:${name}`).toString('base64'),
      name,
      isTeam: true,
      defaultResourceConfig: ({ id }: { id: string }) => {
        const queue = queues.configById(name, id);
        if (!queue) return null;
        return {
          id: queue.configId,
          resource: queue.resource,
          config: JSON.stringify({ resource_args: { [queue.resource]: queue.config } }),
          templateVariables: Object.entries(queue.templateVariables).map(([n, v]) => ({
            name: n,
            schema: JSON.stringify(v.schema),
            description: v.description ?? null,
          })),
        };
      },
    }),
    popFromRunQueue: ({ input }: { input: Record<string, string> }) => {
      if (input.projectName !== LAUNCH_PROJECT || !queues.queue(input.entityName, input.queueName))
        throw new Error(`run queue ${input.entityName}/${input.queueName} not found`);
      return queues.pop(input.entityName, input.queueName);
    },
    ackRunQueueItem: ({ input }: { input: Record<string, string> }) => ({
      success: queues.ack(input.runQueueItemId, input.runName),
    }),
    failRunQueueItem: ({ input }: { input: Record<string, unknown> }) => ({
      success: queues.fail(String(input.runQueueItemId), {
        message: String(input.message),
        stage: String(input.stage),
        ...(Array.isArray(input.filePaths) ? { filePaths: input.filePaths as string[] } : {}),
      }),
    }),
  };
}
