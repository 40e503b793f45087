// nn.Linear: y = x·Wᵀ + b, weight [out, in], on a flat vector of features.
import { LayerShapeError, noScratch, noTensors, type LayerKind } from '../layerKind';
import type { NumberSetting } from '../settings';
import { formatShape } from '../shape';

/** A dense layer's width: the range the app trains (a 784×4096 layer with Adam's state is ~50 MB). */
export const UNITS: NumberSetting = {
  kind: 'int',
  label: 'Units',
  help: 'How many outputs (units) the layer has. More units can learn more patterns but take longer to train and can overfit; too few cannot separate the digits.',
  min: 1,
  max: 4096,
  default: 128,
};

export interface LinearLayer {
  name: string;
  type: 'linear';
  /** Output features (units). */
  out: number;
  bias: boolean;
}

export const linear: LayerKind<LinearLayer> = {
  type: 'linear',
  label: 'Linear',
  description: 'Every output unit is a weighted sum of all inputs plus a bias: the layer learns one weight per connection.',
  role: 'dense',
  settings: {
    out: UNITS,
    bias: { kind: 'bool', label: 'Bias', help: 'Adds a learned constant to each unit, so it can fire even when its inputs are zero.', default: true },
  },
  outputShape(layer, input) {
    if (input.length !== 1) {
      throw new LayerShapeError(`a linear layer needs a flat vector of features, but its input has shape ${formatShape(input)}: put a flatten layer before it`);
    }
    return [layer.out];
  },
  params(layer, input) {
    const weight = { name: 'weight', shape: [layer.out, input[0]] };
    return layer.bias ? [weight, { name: 'bias', shape: [layer.out] }] : [weight];
  },
  buffers: noTensors,
  // The non-zero columns of its input are gathered and kept for the weight gradient (engine/ops/linear.ts),
  // and a fused activation's gradient takes the output's size.
  cost: (layer, input) => ({ flops: 2 * input[0] * layer.out + layer.out, saved: input[0] + layer.out, scratch: noScratch }),
};
