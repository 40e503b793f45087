// The engine side of the layer registry: how each kind of layer becomes an engine module.
// Keyed by every registered type, so a kind without a builder does not compile.
import { Linear, ReLU, type Module, type Rng } from '../../engine';
import type { LayerOf, LayerType } from '../../shared/model/layerKinds';
import type { Shape } from '../../shared/model/shape';

type Builder<K extends LayerType> = (layer: LayerOf<K>, input: Shape, rng: Rng) => Module;

export const LAYER_MODULES: { [K in LayerType]: Builder<K> } = {
  linear: (layer, input, rng) => new Linear(input[0], layer.out, { rng, bias: layer.bias }),
  relu: () => new ReLU(),
};

export function buildLayer<K extends LayerType>(layer: LayerOf<K>, input: Shape, rng: Rng): Module {
  return (LAYER_MODULES[layer.type] as Builder<K>)(layer, input, rng);
}
