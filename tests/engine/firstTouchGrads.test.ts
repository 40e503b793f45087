// ReLU and max pooling write a gradient buffer nothing has been added to yet instead of having
// it zero-filled and adding into it (autograd's FirstGradSink). Through the ops: a leaf's first
// backward writes its .grad, later ones add to it; a tensor that feeds two ops gets both
// contributions whichever comes first; and a small CNN's gradients keep the bits of zeroing
// and adding, with the reference kernels and with the WASM ones inside a step scope.
import { afterEach, describe, expect, it } from 'vitest';
import { conv2d, crossEntropy, flatten, linear, maxPool2d, Rng, stepScope, Tensor } from '../../src/engine';
import { fusedKernels, referenceFusedKernels as ref, setFusedKernels, type FusedKernels } from '../../src/engine/kernels/fused';
import { enableParallel, shutdownParallel } from '../../src/engine/parallel';
import { bitMismatches } from '../parallel/matmulCases';

const leaf = (values: number[], shape: number[]) => Tensor.fromArray(values, shape, { requiresGrad: true });

/** The kernels as they were: the buffer zeroed, then the accumulating kernel. */
function zeroThenAdd(base: FusedKernels): FusedKernels {
  return {
    ...base,
    reluGradWrite: (g, y, dx) => base.reluGrad(g, y, dx.fill(0)),
    maxPoolGradWrite: (grad, argmax, _planes, _inPlane, dx) => base.maxPoolGrad(grad, argmax, dx.fill(0)),
  };
}

describe('first-touch gradients of ReLU and max pooling', () => {
  afterEach(() => setFusedKernels(null));

  it('a leaf: the first backward writes .grad, the next adds to it', () => {
    const x = leaf([-1, 2, -0, 3, 0.5, -4, 0, 7], [1, 2, 2, 2]);
    const y = maxPool2d(x.relu(), 2)
      .mul(Tensor.fromArray([1, 3], [1, 2, 1, 1]))
      .sum();
    y.backward();
    // Channel 0's window [-1, 2, -0, 3] → 3 wins; channel 1's [0.5, -4, 0, 7] → 7 wins.
    expect(Array.from(x.grad!.data)).toEqual([0, 0, 0, 1, 0, 0, 0, 3]);
    y.backward();
    expect(Array.from(x.grad!.data)).toEqual([0, 0, 0, 2, 0, 0, 0, 6]);
    // Directly on a leaf with a gradient already there: added, not written over.
    maxPool2d(x, 2).sum().backward();
    x.relu().sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([0, 1, 0, 4, 1, 0, 0, 8]);
  });

  it('a tensor used twice gets both contributions, whichever op comes first', () => {
    const x = leaf([1, -2, 3, 4], [1, 1, 2, 2]);
    const h = x.relu();
    // h feeds the pool and the product: 1 from the pool at its winner (4), 0.5 everywhere from the product.
    maxPool2d(h, 2).sum().add(h.mul(0.5).sum()).backward();
    expect(Array.from(x.grad!.data)).toEqual([0.5, 0, 0.5, 1.5]);
    const x2 = leaf([1, -2, 3, 4], [1, 1, 2, 2]);
    const h2 = x2.relu();
    h2.mul(0.5).sum().add(maxPool2d(h2, 2).sum()).backward();
    expect(Array.from(x2.grad!.data)).toEqual([0.5, 0, 0.5, 1.5]);
  });

  const rng = new Rng(17);
  const random = (n: number, scale = 1) => Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale);
  const w1 = random(4 * 1 * 3 * 3, 0.5);
  const b1 = random(4, 0.1);
  const w2 = random(10 * 4 * 4 * 4, 0.2);
  const images = random(6 * 1 * 12 * 12);
  const targets = Int32Array.from({ length: 6 }, (_, i) => i % 10);

  /** conv → ReLU → 3×3 max pool → linear → cross-entropy: every parameter's gradient after two backward calls. */
  function gradients(): Float32Array[] {
    return stepScope(() => {
      const params = [w1, b1, w2].map((v, i) => Tensor.fromArray(v, [[4, 1, 3, 3], [4], [10, 64]][i], { requiresGrad: true }));
      const x = Tensor.fromArray(images, [6, 1, 12, 12]);
      const h = maxPool2d(conv2d(x, params[0], params[1], { padding: 1 }).relu(), 3);
      const loss = crossEntropy(linear(flatten(h, 1), params[2]), Array.from(targets));
      loss.backward();
      loss.backward();
      return params.map((p) => Float32Array.from(p.grad!.data));
    });
  }

  it('a small CNN: the bits of zeroing and adding, with the reference kernels', () => {
    const ours = gradients();
    setFusedKernels(zeroThenAdd(ref));
    const before = gradients();
    ours.forEach((g, i) => expect(bitMismatches(g, before[i]), `parameter ${i}`).toBe(0));
    expect(ours[0].some((v) => v !== 0)).toBe(true);
  });

  it('a small CNN: the bits of zeroing and adding, with the WASM kernels in a step scope', async () => {
    await enableParallel({ threads: 1 }).whenReady();
    try {
      const ours = gradients();
      // enableParallel installed the WASM kernels; wrap them as they were.
      const wasm = fusedKernels();
      expect(wasm).not.toBe(ref);
      setFusedKernels(zeroThenAdd(wasm));
      const before = gradients();
      setFusedKernels(wasm);
      ours.forEach((g, i) => expect(bitMismatches(g, before[i]), `parameter ${i}`).toBe(0));
    } finally {
      await shutdownParallel();
    }
  });
});
