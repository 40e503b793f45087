// What the network view draws for each layer of a model, derived from its description: the
// layer's kind, output and parameters; its weights — the first weighted layer as pictures
// (28×28 tiles when it reads the pixels, small filter tiles when it is a convolution), every
// other as a compact heatmap — and, for a selected digit, its output: feature maps (one small
// image per channel) for image-shaped outputs, bars for flat ones.
import type { ModelInfo } from '../../shared/model/describe';
import type { LayerRole } from '../../shared/model/layerKind';
import { LAYER_KINDS } from '../../shared/model/layerKinds';
import { sizeOf, type Shape } from '../../shared/model/shape';
import { viewedWeights } from '../../shared/model/views';
import { MAX_COLUMNS, MAX_ROWS } from './heatmap';
import { tileView } from './tileView';

/** How a weight tensor is drawn. `tiles` and `filters` are the first weighted layer's, drawn above the layer rows. */
export type WeightDrawing =
  | { kind: 'tiles' }
  | { kind: 'filters'; tiles: number; size: number }
  /** A matrix heatmap: a dense layer's [out, in], or a convolution's [out, in·k·k] when its kernels do not fit as a grid. */
  | { kind: 'matrix'; rows: number; columns: number }
  /** A convolution's kernels as a grid: one row per output channel, one column per input channel. */
  | { kind: 'kernels'; outputs: number; inputs: number; size: number };

export interface ViewedWeight {
  tensor: string;
  drawing: WeightDrawing;
}

export interface LayerView {
  name: string;
  /** The kind as PyTorch names it, e.g. "Conv2d". */
  label: string;
  role: LayerRole;
  output: Shape;
  paramCount: number;
  weight: ViewedWeight | null;
  /** How its output for one digit is drawn. */
  activation: 'maps' | 'bars';
}

export interface NetworkViewModel {
  /** The first weighted layer's weights as pictures, when it has them (drawn above the rows). */
  first: (ViewedWeight & { layer: string }) | null;
  layers: LayerView[];
}

export function networkView(info: ModelInfo): NetworkViewModel {
  const viewed = new Set(viewedWeights(info).map((t) => t.name));
  const weighted = info.layers.find((l) => viewed.has(`${l.layer.name}.weight`));
  const tiles = tileView(info);
  let first: NetworkViewModel['first'] = null;
  const layers = info.layers.map((l): LayerView => {
    const tensor = `${l.layer.name}.weight`;
    const shape = l.params.find((p) => p.name === tensor)?.shape;
    let weight: ViewedWeight | null = null;
    if (viewed.has(tensor) && shape) {
      const picture = l === weighted ? firstDrawing(l.role, shape, tiles?.layer === l.layer.name) : null;
      weight = { tensor, drawing: picture ?? heatmapDrawing(shape) };
      if (picture) first = { layer: l.layer.name, ...weight };
    }
    return {
      name: l.layer.name,
      label: LAYER_KINDS[l.layer.type].label,
      role: l.role,
      output: l.output,
      paramCount: l.paramCount,
      weight,
      activation: l.output.length === 3 ? 'maps' : 'bars',
    };
  });
  return { first, layers };
}

function firstDrawing(role: LayerRole, shape: readonly number[], readsPixels: boolean): WeightDrawing | null {
  if (role === 'dense' && readsPixels) return { kind: 'tiles' };
  if (role === 'conv') return { kind: 'filters', tiles: shape[0] * shape[1], size: shape[2] };
  return null;
}

function heatmapDrawing(shape: readonly number[]): WeightDrawing {
  if (shape.length === 4) {
    const [outputs, inputs, size] = shape;
    if (inputs * (size + 1) - 1 <= MAX_COLUMNS && outputs * (size + 1) - 1 <= MAX_ROWS) return { kind: 'kernels', outputs, inputs, size };
    return { kind: 'matrix', rows: outputs, columns: sizeOf(shape) / outputs };
  }
  return { kind: 'matrix', rows: shape[0], columns: sizeOf(shape) / shape[0] };
}
