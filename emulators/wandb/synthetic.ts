// A made-up but plausible training run for the W&B stand-in: a loss that falls with noise, a
// validation loss and accuracy every 20 steps, a learning-rate schedule, and the summary W&B
// keeps (last values, plus `_step`, `_runtime`, `_timestamp` and `_wandb`). Deterministic per
// seed; `quality` moves the final numbers (a better or worse model).
import type { RunSeed } from './store.ts';

function random(seed: string): () => number {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return () => {
    h = Math.imul(h ^ (h >>> 15), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return (h >>> 0) / 4294967296;
  };
}

export function trainingRun(
  seed: string,
  opts: { steps?: number; quality?: number } = {},
): RunSeed {
  const steps = opts.steps ?? 200;
  const quality = opts.quality ?? 0;
  const rand = random(seed);
  const floor = 0.25 - 0.05 * quality;
  const history: Record<string, unknown>[] = [];
  const last: Record<string, number> = {};
  for (let step = 0; step < steps; step++) {
    const progress = step / steps;
    const lr = 0.001 * 0.5 * (1 + Math.cos(Math.PI * progress));
    const loss = floor + 2.1 * Math.exp(-4 * progress) + 0.04 * (rand() - 0.5);
    const row: Record<string, unknown> = { _step: step, loss, lr, epoch: Math.floor(step / 20) };
    if ((step + 1) % 20 === 0) {
      row.val_loss = loss + 0.06 + 0.02 * rand();
      row.val_accuracy = Math.min(
        0.99,
        0.55 + 0.37 * (1 - Math.exp(-3 * progress)) + 0.03 * quality,
      );
    }
    history.push(row);
    for (const [k, v] of Object.entries(row)) if (typeof v === 'number') last[k] = v;
  }
  const runtime = Math.round(steps * 1.7 + 30 * rand());
  return {
    state: 'finished',
    summary: {
      loss: last.loss,
      val_loss: last.val_loss,
      val_accuracy: last.val_accuracy,
      lr: last.lr,
      epoch: last.epoch,
      _step: steps - 1,
      _runtime: runtime,
      _timestamp: 1_780_000_000 + runtime,
      _wandb: { runtime },
    },
    history,
  };
}
