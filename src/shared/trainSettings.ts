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
  labelSmoothing: {
    kind: 'number',
    label: 'Label smoothing',
    help: 'Trains towards 1 − this on the right digit and the rest spread over all ten, instead of a hard 1: the network stops pushing its confidence to 100 % and overfits less. The test loss stays the plain cross-entropy.\nIn PyTorch: label_smoothing.',
    min: 0,
    max: 0.5,
    default: 0,
  },
  earlyStopping: {
    kind: 'int',
    label: 'Patience (evaluations)',
    help: 'Early stopping: training stops by itself when the test loss has not improved for this many evaluations in a row. The weights of the best evaluation are kept, and Restore best brings them back.',
    min: 1,
    max: 1000,
    default: 5,
  },
  mixMyDigits: {
    kind: 'number',
    label: 'Share of each batch',
    help: 'The fraction of every training batch drawn from your digits (at least one each step), the rest from MNIST. More fits your handwriting faster, and forgets MNIST faster too.',
    min: 0.01,
    max: 1,
    default: 0.1,
  },
} as const satisfies Record<string, NumberSetting>;
