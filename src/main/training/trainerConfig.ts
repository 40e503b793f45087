// Checks a TrainConfig before a Trainer acts on it: a bad value (a NaN learning rate, a
// batch of 0) would otherwise surface many steps later as NaN weights or an endless loop.
// The rules are the contract's own (shared/validate.ts), so whatever a Trainer accepts,
// the app accepts too, e.g. in the metadata of a weights file the CLI wrote.

import type { TrainConfig } from '../../shared/contract';
import { validateConfig } from '../../shared/validate';

export function checkTrainConfig(config: TrainConfig): void {
  try {
    validateConfig(config);
  } catch (error) {
    throw new Error(`invalid training settings: ${(error as Error).message}`);
  }
}

/** Settings that define the run itself (the initial weights, the batch order): changing them needs a reset. */
export const RUN_KEYS = ['hidden', 'seed'] as const;
