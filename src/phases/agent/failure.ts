// Why a queue item cannot run, and the stage W&B shows for it: `agent` (the item or its
// config), `build` (its image would have to be built) or `run` (its run never started).
export type ItemStage = 'agent' | 'build' | 'run';

export class ItemFailure extends Error {
  readonly stage: ItemStage;
  constructor(stage: ItemStage, message: string) {
    super(message);
    this.stage = stage;
  }
}
