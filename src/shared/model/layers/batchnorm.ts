// nn.BatchNorm1d (after a linear layer, on [N, C]) or nn.BatchNorm2d (after a convolution,
// on [N, C, H, W]), chosen by the input's shape: each channel is normalised by the batch's
// mean and variance in training and by running averages of them in evaluation, then scaled
// and shifted by a learned weight and bias.
import { LayerShapeError, noScratch, type LayerKind } from '../layerKind';
import { sizeOf } from '../shape';
import { formatShape } from '../shape';

export interface BatchNormLayer {
  name: string;
  type: 'batchnorm';
  momentum: number;
  eps: number;
}

function channels(input: readonly number[]): number {
  if (input.length !== 1 && input.length !== 3) {
    throw new LayerShapeError(`batch norm works on features [C] or images [C, H, W], not ${formatShape(input)}`);
  }
  return input[0];
}

export const batchnorm: LayerKind<BatchNormLayer> = {
  type: 'batchnorm',
  label: 'BatchNorm',
  description: 'Rescales every channel to mean 0 and variance 1 over the batch, then lets the network learn its own scale: training gets faster and steadier.',
  role: 'norm',
  settings: {
    momentum: { kind: 'number', label: 'Momentum', help: 'How much each batch moves the running mean and variance used in evaluation.', min: 0, max: 1, default: 0.1 },
    eps: { kind: 'number', label: 'Epsilon', help: 'Added to the variance so that a constant channel does not divide by zero.', min: 1e-10, max: 0.1, default: 1e-5 },
  },
  outputShape: (_layer, input) => (channels(input), [...input]),
  params: (_layer, input) => [
    { name: 'weight', shape: [channels(input)] },
    { name: 'bias', shape: [channels(input)] },
  ],
  buffers: (_layer, input) => [
    { name: 'running_mean', shape: [channels(input)] },
    { name: 'running_var', shape: [channels(input)] },
    { name: 'num_batches_tracked', shape: [], dtype: 'I64' },
  ],
  // Mean, variance, normalise, scale and shift: a few operations per value; the normalised input is kept for backward.
  cost: (_layer, input) => ({ flops: 5 * sizeOf(input), saved: sizeOf(input), scratch: noScratch }),
};

/** PyTorch's class for a batch norm on this input: BatchNorm1d on features, BatchNorm2d on images. */
export function batchNormClass(input: readonly number[]): 'BatchNorm1d' | 'BatchNorm2d' {
  return input.length === 1 ? 'BatchNorm1d' : 'BatchNorm2d';
}
