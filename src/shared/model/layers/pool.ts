// nn.MaxPool2d and nn.AvgPool2d: each channel is cut into windows and each window becomes
// one value (its largest, or its mean); floor mode, the stride defaults to the kernel size.
import { LayerShapeError, noScratch, noTensors, type LayerKind } from '../layerKind';
import { sizeOf } from '../shape';
import type { NumberSetting } from '../settings';
import { imageShape, windowOutput } from './shapes';

export interface PoolLayer<T extends 'maxpool2d' | 'avgpool2d'> {
  name: string;
  type: T;
  kernel: number;
  stride: number;
  padding: number;
}
export type MaxPool2dLayer = PoolLayer<'maxpool2d'>;
export type AvgPool2dLayer = PoolLayer<'avgpool2d'>;

const KERNEL: NumberSetting = {
  kind: 'int',
  label: 'Window',
  help: 'Width and height of each pooling window. 2 halves the image; larger windows throw away more detail.',
  min: 1,
  max: 28,
  default: 2,
};
const STRIDE: NumberSetting = {
  kind: 'int',
  label: 'Stride',
  help: 'How far the window moves (left out: the window size, so windows do not overlap).',
  min: 1,
  max: 28,
  default: 2,
  defaultFrom: 'kernel',
};
const PADDING: NumberSetting = { kind: 'int', label: 'Padding', help: 'Border added around the image before pooling; at most half the window.', min: 0, max: 14, default: 0 };

function poolKind<T extends 'maxpool2d' | 'avgpool2d'>(type: T, label: string, description: string): LayerKind<PoolLayer<T>> {
  return {
    type,
    label,
    description,
    role: 'pool',
    settings: { kernel: KERNEL, stride: STRIDE, padding: PADDING },
    outputShape(layer, input) {
      const [channels, height, width] = imageShape(input, 'pooling');
      if (layer.padding * 2 > layer.kernel) throw new LayerShapeError(`padding ${layer.padding} is more than half its window ${layer.kernel}`);
      return [channels, windowOutput(height, layer.kernel, layer.stride, layer.padding, 'window'), windowOutput(width, layer.kernel, layer.stride, layer.padding, 'window')];
    },
    params: noTensors,
    buffers: noTensors,
    // Each output reads its window; max pooling keeps the position of each maximum for backward.
    cost: (layer, _input, output) => ({ flops: sizeOf(output) * layer.kernel * layer.kernel, saved: type === 'maxpool2d' ? sizeOf(output) : 0, scratch: noScratch }),
  };
}

export const maxpool2d = poolKind('maxpool2d', 'MaxPool2d', 'Keeps the strongest response in each small window: the image gets smaller and a pattern may move a little without changing the result.');
export const avgpool2d = poolKind('avgpool2d', 'AvgPool2d', 'Averages each small window: the image gets smaller and smoother.');
