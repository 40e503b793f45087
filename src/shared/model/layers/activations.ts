// Element-wise activations: the output has the input's shape and nothing is learned.
// Without one between them, two linear layers are no more than one.
import { elementwiseCost, noTensors, type LayerKind } from '../layerKind';
import type { Setting } from '../settings';

type ActivationType = 'relu' | 'leakyrelu' | 'gelu' | 'elu' | 'softplus' | 'tanh' | 'sigmoid';

function activation<L extends { name: string; type: ActivationType }>(
  type: L['type'],
  label: string,
  description: string,
  settings: LayerKind<L>['settings'],
  /** Operations per value (an exponential or erf costs more than a comparison). */
  flopsPerValue = 1,
): LayerKind<L> {
  return {
    type,
    label,
    description,
    role: 'activation',
    settings,
    outputShape: (_layer, input) => [...input],
    params: noTensors,
    buffers: noTensors,
    cost: (_layer, _input, output) => elementwiseCost(output, flopsPerValue),
  };
}

const none = {} as Record<never, Setting>;

export interface ReluLayer {
  name: string;
  type: 'relu';
}
export const relu = activation<ReluLayer>('relu', 'ReLU', 'Keeps positive values and sets negative ones to zero: a unit either fires or stays silent.', none);

export interface LeakyReluLayer {
  name: string;
  type: 'leakyrelu';
  negativeSlope: number;
}
export const leakyrelu = activation<LeakyReluLayer>('leakyrelu', 'LeakyReLU', 'Like ReLU, but negative values are kept at a small slope, so a unit is never completely silent.', {
  negativeSlope: { kind: 'number', label: 'Negative slope', help: 'How much of a negative value gets through (0 is plain ReLU).', min: 0, max: 1, default: 0.01 },
});

export interface GeluLayer {
  name: string;
  type: 'gelu';
}
export const gelu = activation<GeluLayer>('gelu', 'GELU', 'A smooth ReLU: small negative values pass a little, large ones not at all (used in transformers).', none, 10);

export interface EluLayer {
  name: string;
  type: 'elu';
  alpha: number;
}
export const elu = activation<EluLayer>(
  'elu',
  'ELU',
  'Like ReLU for positive values; negative ones bend smoothly towards −alpha.',
  {
    alpha: { kind: 'number', label: 'Alpha', help: 'The value very negative inputs approach (−alpha).', min: 0, max: 10, default: 1 },
  },
  10,
);

export interface SoftplusLayer {
  name: string;
  type: 'softplus';
}
export const softplus = activation<SoftplusLayer>('softplus', 'Softplus', 'A smooth ReLU, log(1 + eˣ): always positive, never exactly zero.', none, 10);

export interface TanhLayer {
  name: string;
  type: 'tanh';
}
export const tanh = activation<TanhLayer>('tanh', 'Tanh', 'Squashes every value into −1…1; large inputs saturate, where the gradient almost vanishes.', none, 10);

export interface SigmoidLayer {
  name: string;
  type: 'sigmoid';
}
export const sigmoid = activation<SigmoidLayer>('sigmoid', 'Sigmoid', 'Squashes every value into 0…1; it saturates even more than tanh, so deep stacks learn slowly.', none, 10);
