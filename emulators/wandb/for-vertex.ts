// The W&B stand-in beside the Vertex stand-in, for demos and examples: a job's W&B run appears
// once the Vertex stand-in holds a job labelled with its run id (as the training would have
// made it), and a baseline run with slightly worse numbers is there from the start.
import type { VertexEmulator } from '../vertex/emulator.ts';
import { startWandbEmulator, type WandbEmulator } from './emulator.ts';
import { trainingRun } from './synthetic.ts';

export const DEMO_WANDB_KEY = 'local-demo-key-0000000000000000000000000000';

export async function startWandbForVertex(
  vertex: VertexEmulator,
  where: { entity: string; project: string },
): Promise<{ wandb: WandbEmulator; inputs: Record<string, string> }> {
  const launched = (runId: string) =>
    vertex
      .record()
      .jobs.some(
        (j) => (j.labels as Record<string, string> | undefined)?.['wandb-run-id'] === runId,
      );
  const wandb = await startWandbEmulator({
    apiKeys: [DEMO_WANDB_KEY],
    defaultEntity: where.entity,
    resolveRun: (entity, project, name) =>
      entity === where.entity && project === where.project && launched(name)
        ? trainingRun(name)
        : undefined,
  });
  const baseline = `${where.entity}/${where.project}/base0001`;
  wandb.addRun(baseline, trainingRun('base0001', { quality: -1 }));
  return {
    wandb,
    inputs: {
      'wandb-api-key': DEMO_WANDB_KEY,
      'wandb-base-url': wandb.url,
      'wandb-baseline': baseline,
    },
  };
}
