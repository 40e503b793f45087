// What a spec costs per image (shared/model/cost.ts), worked out once per spec object: the
// editor, the buttons' check and the measured speed read it on every store change.
import { modelCost, type ModelCost } from '../../shared/model/cost';
import { describeModel } from '../../shared/model/describe';
import { LayerShapeError } from '../../shared/model/layerKind';
import type { ModelSpec } from '../../shared/model/spec';

const costs = new WeakMap<ModelSpec, ModelCost | null>();

/** What the spec costs per image (shared/model/cost.ts), once per spec; null while its shapes do not fit together. */
export function specCost(spec: ModelSpec): ModelCost | null {
  let cost = costs.get(spec);
  if (cost === undefined) {
    try {
      cost = modelCost(describeModel(spec));
    } catch (error) {
      if (!(error instanceof LayerShapeError)) throw error;
      cost = null;
    }
    costs.set(spec, cost);
  }
  return cost;
}
