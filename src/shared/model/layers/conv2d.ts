// nn.Conv2d: each output channel slides a learned kernel over every input channel; weight
// [out, in, kernel, kernel], square kernels, zero padding.
import { noTensors, type LayerKind } from '../layerKind';
import { COLS_SLICE_FLOATS } from '../convSlices';
import { imageShape, windowOutput } from './shapes';

export interface Conv2dLayer {
  name: string;
  type: 'conv2d';
  /** Output channels (filters). */
  out: number;
  kernel: number;
  stride: number;
  padding: number;
  bias: boolean;
}

export const conv2d: LayerKind<Conv2dLayer> = {
  type: 'conv2d',
  label: 'Conv2d',
  description: 'Slides small learned filters over the image: each filter looks for one pattern (an edge, a curve) everywhere at once.',
  role: 'conv',
  settings: {
    out: { kind: 'int', label: 'Filters', help: 'How many patterns the layer learns to detect (output channels). More filters see more kinds of strokes but cost time.', min: 1, max: 256, default: 8 },
    kernel: {
      kind: 'int',
      label: 'Kernel',
      help: 'Width and height of each filter in pixels. Small kernels see fine strokes; large ones see bigger shapes but have more weights.',
      min: 1,
      max: 28,
      default: 5,
    },
    stride: { kind: 'int', label: 'Stride', help: "How far the filter moves between positions. 2 halves the image's width and height.", min: 1, max: 8, default: 1 },
    padding: { kind: 'int', label: 'Padding', help: 'Zeros added around the image, so a filter can also look at the border. Half the kernel keeps the size.', min: 0, max: 14, default: 0 },
    bias: { kind: 'bool', label: 'Bias', help: "Adds a learned constant to each filter's output.", default: true },
  },
  outputShape(layer, input) {
    const [, height, width] = imageShape(input, 'a convolution');
    return [layer.out, windowOutput(height, layer.kernel, layer.stride, layer.padding, 'kernel'), windowOutput(width, layer.kernel, layer.stride, layer.padding, 'kernel')];
  },
  params(layer, input) {
    const weight = { name: 'weight', shape: [layer.out, input[0], layer.kernel, layer.kernel] };
    return layer.bias ? [weight, { name: 'bias', shape: [layer.out] }] : [weight];
  },
  buffers: noTensors,
  cost(layer, input, output) {
    // im2col: every output position reads a kernel × kernel window of every input channel.
    const rows = input[0] * layer.kernel * layer.kernel;
    const positions = output[1] * output[2];
    const perSample = rows * positions;
    const sliceSamples = Math.max(1, Math.floor(COLS_SLICE_FLOATS / perSample));
    return {
      flops: 2 * layer.out * rows * positions,
      saved: 0,
      // The column matrix and the product in the [out, samples · positions] layout, for a slice of the batch at a time.
      scratch: (samples) => Math.min(samples, sliceSamples) * (perSample + layer.out * positions),
    };
  },
};
