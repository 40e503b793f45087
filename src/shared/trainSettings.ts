// The run settings beside the model and the optimizer, each with its one range: validation,
// the CLI's flags and the settings panel all read this table.
import type { NumberSetting } from './model/settings';

export const TRAIN_SETTINGS = {
  batchSize: {
    kind: 'int',
    label: 'Batch size',
    help: 'Examples averaged into each step. Larger batches give smoother but fewer updates per epoch; very small ones are noisy.',
    min: 1,
    max: 4096,
    default: 32,
  },
  seed: {
    kind: 'int',
    label: 'Seed',
    help: 'Fixes the initial weights and the order of the batches, so the same seed and settings train the same network again.',
    min: 0,
    max: 0xffffffff,
    default: 0,
  },
  evalEvery: {
    kind: 'int',
    label: 'Evaluate every (steps)',
    help: 'The most steps between two scorings of the 10 000 test images (they are also scored every few seconds of training). Smaller: a finer test curve; each scoring costs about as much as 300 training steps.',
    min: 1,
    max: 1_000_000,
    default: 1000,
  },
  epochs: {
    kind: 'number',
    label: 'Epochs',
    help: 'Passes over the 60 000 training images before training stops by itself (fractions allowed).',
    min: 0.01,
    max: 1000,
    default: 1,
  },
} as const satisfies Record<string, NumberSetting>;
