// The engine side of the layer registry: how each kind of layer becomes an engine module.
// Keyed by every registered type, so a kind without a builder does not compile.
import { AvgPool2d, BatchNorm1d, BatchNorm2d, Conv2d, Dropout, ELU, Flatten, GELU, LeakyReLU, Linear, MaxPool2d, ReLU, Rng, Sigmoid, Softplus, Tanh, type Module } from '../../engine';
import type { LayerOf, LayerType } from '../../shared/model/layerKinds';
import type { Shape } from '../../shared/model/shape';

type Builder<K extends LayerType> = (layer: LayerOf<K>, input: Shape, rng: Rng) => Module;

export const LAYER_MODULES: { [K in LayerType]: Builder<K> } = {
  linear: (layer, input, rng) => new Linear(input[0], layer.out, { rng, bias: layer.bias }),
  conv2d: (layer, input, rng) => new Conv2d(input[0], layer.out, layer.kernel, { stride: layer.stride, padding: layer.padding, bias: layer.bias, rng }),
  maxpool2d: (layer) => new MaxPool2d(layer.kernel, { stride: layer.stride, padding: layer.padding }),
  avgpool2d: (layer) => new AvgPool2d(layer.kernel, { stride: layer.stride, padding: layer.padding }),
  flatten: () => new Flatten(),
  relu: () => new ReLU(),
  leakyrelu: (layer) => new LeakyReLU({ negativeSlope: layer.negativeSlope }),
  gelu: () => new GELU(),
  elu: (layer) => new ELU({ alpha: layer.alpha }),
  softplus: () => new Softplus(),
  tanh: () => new Tanh(),
  sigmoid: () => new Sigmoid(),
  batchnorm: (layer, input) => (input.length === 1 ? new BatchNorm1d(input[0], { momentum: layer.momentum, eps: layer.eps }) : new BatchNorm2d(input[0], { momentum: layer.momentum, eps: layer.eps })),
  // Its masks from a stream of its own, seeded from the run's: reproducible, and the batch order does not depend on it.
  dropout: (layer, _input, rng) => new Dropout({ p: layer.p, rng: new Rng(rng.int(0x100000000)) }),
};

export function buildLayer<K extends LayerType>(layer: LayerOf<K>, input: Shape, rng: Rng): Module {
  return (LAYER_MODULES[layer.type] as Builder<K>)(layer, input, rng);
}
