// Specs of issue 26 (point 2), shared by the cost tests and the training tests.
import type { ModelSpec } from '../../src/shared/model/spec';

/**
 * Issue 26's two-conv model: 64 channels kernel 5, then 64 channels kernel 9 (both keeping
 * 28×28), 344 k parameters. Its second convolution has 64·81 × 784 columns per image.
 */
export const TWO_CONV: ModelSpec = {
  input: [1, 28, 28],
  layers: [
    { name: 'conv1', type: 'conv2d', out: 64, kernel: 5, stride: 1, padding: 2, bias: true },
    { name: 'relu1', type: 'relu' },
    { name: 'conv2', type: 'conv2d', out: 64, kernel: 9, stride: 1, padding: 4, bias: true },
    { name: 'relu2', type: 'relu' },
    { name: 'pool', type: 'maxpool2d', kernel: 7, stride: 7, padding: 0 },
    { name: 'flatten', type: 'flatten' },
    { name: 'fc', type: 'linear', out: 10, bias: true },
  ],
};

/**
 * Issue 26's hostile spec: `count` 256-channel 1×1 convolutions with padding 14 (each grows the
 * image by 28 pixels a side), two 28/28 max pools, flatten, linear 10.
 */
export function deepPaddedConvs(count: number): ModelSpec {
  const size = 28 + 28 * count;
  const pooled = Math.floor(Math.floor(size / 28) / 28);
  return {
    input: [1, 28, 28],
    layers: [
      ...Array.from({ length: count }, (_, i) => ({ name: `c${i + 1}`, type: 'conv2d' as const, out: 256, kernel: 1, stride: 1, padding: 14, bias: true })),
      ...(pooled >= 1
        ? [
            { name: 'p1', type: 'maxpool2d' as const, kernel: 28, stride: 28, padding: 0 },
            { name: 'p2', type: 'maxpool2d' as const, kernel: 28, stride: 28, padding: 0 },
          ]
        : [{ name: 'p1', type: 'maxpool2d' as const, kernel: 28, stride: 28, padding: 0 }]),
      { name: 'flat', type: 'flatten' },
      { name: 'fc', type: 'linear', out: 10, bias: true },
    ],
  };
}
