// A Linear followed by a ReLU runs as one fused op in Sequential (and in MLP): the same values
// and gradients as the two layers one after the other, on the reference kernels bit for bit
// and on the WASM kernels too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy, Linear, MLP, type Module, ReLU, Rng, Sequential, stepScope, Tensor } from '../../src/engine';
import { relu } from '../../src/engine/ops/activation';
import { enableParallel, shutdownParallel } from '../../src/engine/parallel';
import { bitMismatches } from '../parallel/matmulCases';

/** The seed's network as the app builds it from a ModelSpec (after issue 11). */
function named(rng: Rng): Sequential {
  return Sequential.named([
    ['l1', new Linear(20, 16, { rng })],
    ['act', new ReLU()],
    ['l2', new Linear(16, 5, { rng })],
  ]);
}

/** The same layers applied one at a time, as if nothing were fused. */
function unfused(model: Sequential, x: Tensor): Tensor {
  const [l1, , l2] = model.layers as [Linear, ReLU, Linear];
  return l2.forward(relu(l1.forward(x)));
}

/** Output and gradients of a loss over forward(x), copied out of a step scope (so, with the WASM kernels, computed in WASM memory). */
function lossAndGrads(model: Module, forward: (x: Tensor) => Tensor, input: Tensor, y: Int32Array): { out: Float32Array; grads: Float32Array[] } {
  return stepScope(() => {
    for (const p of model.parameters()) p.grad = null;
    const x = Tensor.fromArray(input.data, input.shape, { requiresGrad: true });
    const out = forward(x);
    crossEntropy(out, y).backward();
    return { out: Float32Array.from(out.data), grads: [x, ...model.parameters()].map((p) => Float32Array.from(p.grad!.data)) };
  });
}

describe.each(['reference kernels', 'WASM kernels'])('Linear + ReLU fused, %s', (kernels) => {
  beforeAll(() => void (kernels === 'WASM kernels' && enableParallel({ threads: 1 })));
  afterAll(() => shutdownParallel());

  it('Sequential.named runs l1 and act as one op with the values and gradients of the two', () => {
    const rng = new Rng(3);
    const model = named(rng);
    const x = Tensor.randn([9, 20], rng, { requiresGrad: true });
    const y = Int32Array.from({ length: 9 }, (_, i) => i % 5);
    const out = model.forward(x);
    const l1Node = out.gradFn?.inputs[0];
    expect(l1Node?.gradFn?.name).toBe('linear+relu');
    expect(l1Node?.gradFn?.inputs[0]).toBe(x); // no separate ReLU node, no stored pre-activation
    const fused = lossAndGrads(model, (v) => model.forward(v), x, y);
    const plain = lossAndGrads(model, (v) => unfused(model, v), x, y);
    expect(bitMismatches(fused.out, plain.out)).toBe(0);
    fused.grads.forEach((g, i) => expect(bitMismatches(g, plain.grads[i]), `gradient ${i}`).toBe(0));
  });

  it('MLP and Sequential.named with the same weights agree', () => {
    const mlp = new MLP(20, 16, 5, new Rng(4));
    const seq = named(new Rng(5));
    seq.loadStateDict(mlp.stateDict());
    const input = Tensor.randn([6, 20], new Rng(6));
    stepScope(() => {
      const x = Tensor.fromArray(input.data, input.shape);
      expect(bitMismatches(seq.forward(x).data, mlp.forward(x).data)).toBe(0);
      const { hidden } = mlp.forwardWithHidden(x);
      expect(hidden.data.every((h) => h >= 0)).toBe(true);
    });
  });

  it('fuses only the exact classes: a ReLU subclass with its own forward keeps it', () => {
    class HalfReLU extends ReLU {
      override forward(x: Tensor): Tensor {
        return relu(x).mul(0.5);
      }
    }
    const rng = new Rng(7);
    const l1 = new Linear(4, 3, { rng });
    const model = new Sequential(l1, new HalfReLU());
    const x = Tensor.randn([2, 4], rng);
    const want = relu(l1.forward(x)).mul(0.5);
    expect(bitMismatches(model.forward(x).data, want.data)).toBe(0);
    const twoLinears = new Sequential(l1, new Linear(3, 2, { rng }));
    expect(twoLinears.forward(x).gradFn?.inputs[0].gradFn?.name).toBe('linear');
  });
});
