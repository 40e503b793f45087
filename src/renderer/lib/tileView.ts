// Which parts of a model the weight tiles show, derived from its spec: the first dense layer
// that reads the image's pixels draws one tile per unit (its weights are pictures of the
// input); the layer after it lights the tiles (the activation that says which units fire);
// the next dense layer's weights are each unit's votes.
import { MNIST_CLASSES, MNIST_PIXELS } from '../../shared/mnist';
import type { ModelInfo } from '../../shared/model/describe';
import { sizeOf } from '../../shared/model/shape';

export interface TileView {
  /** The layer whose units are tiles, e.g. "l1". */
  layer: string;
  /** Its weight [units, 28·28]: one row per tile. */
  weight: string;
  units: number;
  /** The layer whose output says how strongly each unit fires for a digit (its activation, or the layer itself). */
  firing: string;
  /** The next dense layer: each tile unit's outgoing weights (`weight` [outputs, units]). */
  next: { layer: string; weight: string; outputs: number; isOutput: boolean } | null;
}

export function tileView(info: ModelInfo): TileView | null {
  const index = info.layers.findIndex((l) => l.params.length > 0);
  const first = info.layers[index];
  if (!first || first.role !== 'dense' || sizeOf(first.input) !== MNIST_PIXELS) return null;
  const layer = first.layer.name;
  const after = info.layers[index + 1];
  const firing = after?.role === 'activation' ? after.layer.name : layer;
  const nextIndex = info.layers.findIndex((l, i) => i > index && l.params.length > 0);
  const next = info.layers[nextIndex];
  const outputs = next ? sizeOf(next.output) : 0;
  return {
    layer,
    weight: `${layer}.weight`,
    units: sizeOf(first.output),
    firing,
    next:
      next && next.role === 'dense'
        ? { layer: next.layer.name, weight: `${next.layer.name}.weight`, outputs, isOutput: !info.layers.slice(nextIndex + 1).some((l) => l.params.length > 0) && outputs === MNIST_CLASSES }
        : null,
  };
}
