// The layer diagram's stages, derived from a model's description: every layer that changes
// the representation is a stage (a box, reached by an arrow naming the layer); a layer that
// only transforms values in place is named in the caption of the box it acts on.
import type { ModelInfo } from '../../shared/model/describe';
import type { LayerRole } from '../../shared/model/layerKind';
import { LAYER_KINDS } from '../../shared/model/layerKinds';

/** How each role is drawn; keyed by every role, so a new one must say how it is drawn. */
export const ROLE_DRAWING: Record<LayerRole, 'stage' | 'caption'> = {
  dense: 'stage',
  conv: 'stage',
  pool: 'stage',
  reshape: 'stage',
  activation: 'caption',
  norm: 'caption',
  dropout: 'caption',
};

export interface Stage {
  name: string;
  /** The layer's kind as PyTorch names it, e.g. "Linear". */
  op: string;
  params: number;
  /** The output shape without the batch, e.g. [128] or [8, 28, 28]. */
  shape: readonly number[];
  /** The in-place layers after it, e.g. ["ReLU"]. */
  captions: string[];
}

export function stagesOf(info: ModelInfo): Stage[] {
  const stages: Stage[] = [];
  for (const l of info.layers) {
    const label = LAYER_KINDS[l.layer.type].label;
    if (ROLE_DRAWING[l.role] === 'caption' && stages.length > 0) stages[stages.length - 1].captions.push(label);
    else stages.push({ name: l.layer.name, op: label, params: l.paramCount, shape: l.output, captions: [] });
  }
  return stages;
}
