// What a Digitrain weights file is: safetensors with the model's state dict under PyTorch's
// names (the ModelSpec says which tensors and shapes), the optimizer's state beside it as
// `optim.*` tensors, and metadata keys describing the run.

export const WEIGHTS_FORMAT = 'digitrain';
/**
 * Bumped when a file written now could be misread by an older reader. 1: the 784-hidden-10
 * MLP (`architecture`, flat `hyperparameters`); 2: any ModelSpec (`model`).
 */
export const WEIGHTS_FORMAT_VERSION = 2;

/** Optimizer buffers are stored as `optim.<param index>.<PyTorch state key>`, e.g. `optim.0.exp_avg`. */
export const OPTIM_PREFIX = 'optim.';

/** Metadata keys (safetensors metadata values are strings; structured values are JSON). */
export const META = {
  format: 'format',
  formatVersion: 'formatVersion',
  /** The ModelSpec, as JSON. */
  model: 'model',
  /** The run's settings beside the model (optimizer, batch size, …), as JSON. */
  hyperparameters: 'hyperparameters',
  step: 'step',
  testAccuracy: 'testAccuracy',
  date: 'date',
  optimKind: 'optim.kind',
  optimStep: 'optim.step',
  optimHyper: 'optim.hyper',
  /** Where the batch sampler's random stream was ({"words":[4 uint32],"spareNormal":x|null}): a run continues with the same next batches. */
  random: 'random',
  /** Version 1 only: {"type":"mlp","layers":[784, hidden, 10]}. */
  legacyArchitecture: 'architecture',
} as const;

/** A weights file that cannot be used; the message says what is wrong, for the user. */
export class WeightsFileError extends Error {
  override name = 'WeightsFileError';
}
