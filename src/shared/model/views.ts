// What the network view draws of a model, derived from the spec: which weights travel in
// the throttled snapshots.
import type { ModelInfo } from './describe';
import type { LayerRole, TensorInfo } from './layerKind';

/** Roles whose weight matrix the view draws (tiles for the first, heatmaps and votes for the others). */
const DRAWN_WEIGHT_ROLES: ReadonlySet<LayerRole> = new Set(['dense', 'conv']);

/** The `<layer>.weight` of every layer whose role draws weights, in model order. */
export function viewedWeights(info: ModelInfo): TensorInfo[] {
  return info.layers.filter((layer) => DRAWN_WEIGHT_ROLES.has(layer.role)).flatMap((layer) => layer.params.filter((p) => p.name === `${layer.layer.name}.weight`));
}
