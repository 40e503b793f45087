// Element-wise activations: no parameters, the output has the input's shape.
import { noTensors, type LayerKind } from '../layerKind';

export interface ReluLayer {
  name: string;
  type: 'relu';
}

export const relu: LayerKind<ReluLayer> = {
  type: 'relu',
  label: 'ReLU',
  description: 'Keeps positive values and sets negative ones to zero: a unit either fires or stays silent.',
  role: 'activation',
  settings: {},
  outputShape: (_layer, input) => [...input],
  params: noTensors,
  buffers: noTensors,
};
