// The CNN layers' backward against central finite differences (see gradcheck.ts), in the
// settings layers.json does not cover: pairs of strides/paddings, non-square kernels, one
// sample, unbatched pooling, avg pool without the padding in its divisor, the activations'
// settings, batch norm with running statistics and without affine, dropout, and a whole CNN.
import { describe, expect, it } from 'vitest';
import { avgPool2d, batchNorm, conv2d, crossEntropy, dropout, elu, gelu, leakyRelu, linear, maxPool2d, Rng, softplus, Tensor } from '../../src/engine';
import { awayFromZero, distinct, gradcheck, uniform } from './gradcheck';

const rng = new Rng(11);
const u = (...shape: number[]): Tensor => uniform(shape, rng);
const positive = (...shape: number[]): Tensor => uniform(shape, rng, 0.5, 2);

const cases: [name: string, f: (x: Tensor[]) => Tensor, inputs: () => Tensor[], h?: number][] = [
  ['conv2d stride [2, 1], padding [1, 2], kernel 3×2', ([x, w, b]) => conv2d(x, w, b, { stride: [2, 1], padding: [1, 2] }), () => [u(2, 3, 7, 5), u(4, 3, 3, 2), u(4)]],
  ['conv2d one sample, stride 3, no bias', ([x, w]) => conv2d(x, w, null, { stride: 3 }), () => [u(1, 2, 8, 8), u(3, 2, 2, 2)]],
  ['conv2d kernel as large as the padded input', ([x, w, b]) => conv2d(x, w, b, { padding: 1 }), () => [u(2, 2, 3, 3), u(2, 2, 5, 5), u(2)]],
  ['maxPool2d kernel [3, 2], stride [1, 2], padding 1', ([x]) => maxPool2d(x, [3, 2], { stride: [1, 2], padding: 1 }), () => [distinct([2, 2, 5, 6], rng, 0.05)]],
  ['maxPool2d unbatched [C, H, W]', ([x]) => maxPool2d(x, 2), () => [distinct([3, 4, 4], rng, 0.05)]],
  ['avgPool2d padding 1, counting the padding', ([x]) => avgPool2d(x, 3, { stride: 2, padding: 1 }), () => [u(2, 2, 6, 5)]],
  ['avgPool2d padding 1, not counting the padding', ([x]) => avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }), () => [u(2, 2, 6, 5)]],
  ['leakyRelu slope 0.2', ([x]) => leakyRelu(x, 0.2), () => [awayFromZero([4, 5], rng)]],
  ['gelu over [−4, 4]', ([x]) => gelu(x), () => [uniform([5, 6], rng, -4, 4)]],
  ['elu alpha 0.5', ([x]) => elu(x, 0.5), () => [uniform([4, 5], rng, -3, 3)]],
  ['softplus beta 2', ([x]) => softplus(x, 2), () => [uniform([4, 5], rng, -3, 3)]],
  ['batchNorm training, 3-D [N, C, L]', ([x, w, b]) => batchNorm(x, null, null, w, b, { training: true }), () => [u(4, 3, 5), positive(3), u(3)]],
  ['batchNorm training without affine', ([x]) => batchNorm(x, null, null, null, null, { training: true }), () => [u(6, 4)]],
  ['batchNorm evaluation (running statistics)', ([x, w, b]) => batchNorm(x, Tensor.fromArray([0.1, -0.2], [2]), Tensor.fromArray([0.5, 2], [2]), w, b), () => [u(3, 2, 2, 2), positive(2), u(2)]],
  ['dropout (the same seeded mask every call)', ([x]) => dropout(x, 0.4, true, new Rng(3)), () => [u(5, 6)]],
  [
    'a small CNN: conv, relu, max pool, avg pool, flatten, linear, cross-entropy',
    ([x, w1, b1, w2, wf]) => {
      const h = maxPool2d(conv2d(x, w1, b1, { padding: 1 }).relu(), 2);
      const g = avgPool2d(conv2d(h, w2, null, { padding: 1 }).tanh(), 2);
      return crossEntropy(linear(g.flatten(1), wf), [1, 0, 2]);
    },
    () => [u(3, 1, 8, 8), u(4, 1, 3, 3), u(4), u(2, 4, 3, 3), u(3, 8)],
    // A smaller step: ReLU's and max pool's kinks lie wherever the conv outputs put them; the
    // loss is a mean of three cross-entropies (|L| ≈ 1), so float32 noise stays ~1e-4.
    1e-3,
  ],
];

describe('finite-difference gradient check of the CNN layers', () => {
  for (const [name, f, inputs, h] of cases) {
    it(name, () => {
      expect(gradcheck(f, inputs(), { h })).toBeNull();
    });
  }
});
