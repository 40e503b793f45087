// The engine model a ModelSpec describes: a Sequential whose children carry the spec's layer
// names, so its state dict has PyTorch's names (`l1.weight`, …). Layers are initialised in
// order from one Rng, as PyTorch initialises modules in construction order.
import { Sequential, type Rng, type Tensor } from '../../engine';
import { describeModel } from '../../shared/model/describe';
import type { ModelSpec } from '../../shared/model/spec';
import { buildLayer } from './layerModules';

export class SpecModel extends Sequential {
  /** `spec` must be valid (validateModelSpec); it is kept as given. */
  constructor(
    readonly spec: ModelSpec,
    rng: Rng,
  ) {
    super();
    const info = describeModel(spec);
    spec.layers.forEach((layer, i) => this.append(layer.name, buildLayer(layer, info.layers[i].input, rng)));
  }

  /** `x`: a batch of flat pixels [N, 784], viewed as the spec's input shape (e.g. [N, 1, 28, 28]). */
  override forward(x: Tensor): Tensor {
    return super.forward(this.asInput(x));
  }

  override forwardAll(x: Tensor): Tensor[] {
    return super.forwardAll(this.asInput(x));
  }

  private asInput(x: Tensor): Tensor {
    return x.shape.length === 1 + this.spec.input.length ? x : x.reshape([x.shape[0], ...this.spec.input]);
  }
}
