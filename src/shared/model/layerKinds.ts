// The registry of layer kinds: the one list the spec's types, validation, weights files,
// ONNX export and the network view are derived from. To add a kind, see docs/DESIGN.md,
// "Adding a layer kind".
import type { LayerKind } from './layerKind';
import { elu, gelu, leakyrelu, relu, sigmoid, softplus, tanh } from './layers/activations';
import { batchnorm } from './layers/batchnorm';
import { conv2d } from './layers/conv2d';
import { dropout } from './layers/dropout';
import { flatten } from './layers/flatten';
import { linear } from './layers/linear';
import { avgpool2d, maxpool2d } from './layers/pool';

export const LAYER_KINDS = {
  linear,
  conv2d,
  maxpool2d,
  avgpool2d,
  flatten,
  relu,
  leakyrelu,
  gelu,
  elu,
  softplus,
  tanh,
  sigmoid,
  batchnorm,
  dropout,
} as const;

export type LayerType = keyof typeof LAYER_KINDS;

/** One layer of a ModelSpec: its unique `name`, its `type` and that type's settings. */
export type LayerSpec = {
  [K in LayerType]: (typeof LAYER_KINDS)[K] extends LayerKind<infer L> ? L : never;
}[LayerType];

/** The spec of one type, e.g. LayerOf<'linear'>. */
export type LayerOf<K extends LayerType> = Extract<LayerSpec, { type: K }>;

export const LAYER_TYPES = Object.keys(LAYER_KINDS) as LayerType[];

export function isLayerType(value: unknown): value is LayerType {
  return typeof value === 'string' && Object.hasOwn(LAYER_KINDS, value);
}

/** The registry entry of a layer, typed for it. */
export function kindOf<L extends LayerSpec>(layer: L): LayerKind<L> {
  return LAYER_KINDS[layer.type] as unknown as LayerKind<L>;
}
