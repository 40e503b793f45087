// What a Digitrain weights file is: the parameter names and shapes of the MLP
// 784 → hidden → ReLU → 10 in PyTorch's layout, and the metadata keys beside them.

import { MNIST_CLASSES, MNIST_PIXELS } from '../../engine/data/mnist';
import { MAX_HIDDEN } from '../../shared/validate';

export const WEIGHTS_FORMAT = 'digitrain';
/** Bumped when a file written now could be misread by an older reader. */
export const WEIGHTS_FORMAT_VERSION = 1;

export const INPUT_FEATURES = MNIST_PIXELS;
export const CLASSES = MNIST_CLASSES;
export { MAX_HIDDEN };

/** The model's parameters in `model.parameters()` order; optimizer buffers are indexed by this order. */
export const PARAM_NAMES = ['l1.weight', 'l1.bias', 'l2.weight', 'l2.bias'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

export function paramShapes(hidden: number): Record<ParamName, number[]> {
  return {
    'l1.weight': [hidden, INPUT_FEATURES],
    'l1.bias': [hidden],
    'l2.weight': [CLASSES, hidden],
    'l2.bias': [CLASSES],
  };
}

/** Optimizer buffers are stored as `optim.<param index>.<PyTorch state key>`, e.g. `optim.0.exp_avg`. */
export const OPTIM_PREFIX = 'optim.';

/** Metadata keys (safetensors metadata values are strings; structured values are JSON). */
export const META = {
  format: 'format',
  formatVersion: 'formatVersion',
  architecture: 'architecture',
  hyperparameters: 'hyperparameters',
  step: 'step',
  testAccuracy: 'testAccuracy',
  date: 'date',
  optimKind: 'optim.kind',
  optimStep: 'optim.step',
  optimHyper: 'optim.hyper',
} as const;

export interface Architecture {
  type: 'mlp';
  layers: [number, number, number];
}

export function mlpArchitecture(hidden: number): Architecture {
  return { type: 'mlp', layers: [INPUT_FEATURES, hidden, CLASSES] };
}

/** A weights file that cannot be used; the message says what is wrong, for the user. */
export class WeightsFileError extends Error {
  override name = 'WeightsFileError';
}

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
