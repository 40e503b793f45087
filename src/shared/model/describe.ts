// A valid spec, layer by layer: each layer's input and output shapes and the tensors it
// owns, with their full state-dict names. Weights files, the network view and the
// parameter counts all read this one derivation.
import { kindOf, type LayerSpec } from './layerKinds';
import { LayerShapeError, type LayerRole, type TensorInfo } from './layerKind';
import { sizeOf, type Shape } from './shape';
import type { ModelSpec } from './spec';

export interface LayerInfo {
  layer: LayerSpec;
  role: LayerRole;
  input: Shape;
  output: Shape;
  /** Parameters with full names (`l1.weight`), in PyTorch's order. */
  params: TensorInfo[];
  /** Buffers (non-trainable state) with full names. */
  buffers: TensorInfo[];
  paramCount: number;
}

export interface ModelInfo {
  input: Shape;
  output: Shape;
  layers: LayerInfo[];
  /** Every parameter in `model.parameters()` order: optimizer state is indexed by it. */
  params: TensorInfo[];
  buffers: TensorInfo[];
  /** The state dict in PyTorch's order: each layer's parameters, then its buffers. */
  state: TensorInfo[];
  paramCount: number;
}

/** Walks a spec; throws a LayerShapeError naming the first layer that cannot take its input. */
export function describeModel(spec: ModelSpec): ModelInfo {
  const layers: LayerInfo[] = [];
  let shape: Shape = spec.input;
  for (const layer of spec.layers) {
    const info = describeLayer(layer, shape);
    layers.push(info);
    shape = info.output;
  }
  const params = layers.flatMap((l) => l.params);
  return {
    input: spec.input,
    output: shape,
    layers,
    params,
    buffers: layers.flatMap((l) => l.buffers),
    state: layers.flatMap((l) => [...l.params, ...l.buffers]),
    paramCount: countOf(params),
  };
}

/** One layer on its input; throws a LayerShapeError naming the layer when it cannot take that input. */
export function describeLayer(layer: LayerSpec, input: Shape): LayerInfo {
  const kind = kindOf(layer);
  let output: number[];
  try {
    output = kind.outputShape(layer, input);
  } catch (error) {
    if (error instanceof LayerShapeError) throw new LayerShapeError(`${layerLabel(layer)}: ${error.message}`, error.reason);
    throw error;
  }
  const named = (t: TensorInfo): TensorInfo => ({ ...t, name: `${layer.name}.${t.name}` });
  const params = kind.params(layer, input).map(named);
  return { layer, role: kind.role, input, output, params, buffers: kind.buffers(layer, input).map(named), paramCount: countOf(params) };
}

/** How messages name a layer: `layer "conv1" (conv2d)`. */
export function layerLabel(layer: Pick<LayerSpec, 'name' | 'type'>): string {
  return `layer "${layer.name}" (${layer.type})`;
}

function countOf(tensors: readonly TensorInfo[]): number {
  return tensors.reduce((sum, t) => sum + sizeOf(t.shape), 0);
}
