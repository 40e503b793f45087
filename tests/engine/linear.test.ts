// Linear's hot path goes through the matmul kernel interface with the transposed variants,
// never materialising Wᵀ; its backward writes a gradient nothing was added to yet and
// accumulates into existing ones.
import { afterEach, describe, expect, it } from 'vitest';
import { linear, matmulReference, type MatmulArgs, Rng, setMatmulBackend, Tensor } from '../../src/engine';
import { expectClose } from './fixtures';

type Call = Omit<MatmulArgs, 'a' | 'b' | 'c'>;

function recordCalls(): Call[] {
  const calls: Call[] = [];
  setMatmulBackend((args) => {
    const { m, k, n, transA, transB } = args;
    calls.push({ m, k, n, transA, transB, accumulate: args.accumulate ?? false });
    matmulReference(args);
  });
  return calls;
}

describe('linear', () => {
  afterEach(() => setMatmulBackend(null));

  it('runs forward as x·Wᵀ (transB) and backward as g·W and gᵀ·x, writing first gradients and accumulating later ones', () => {
    const rng = new Rng(0);
    const x = Tensor.randn([4, 6], rng, { requiresGrad: true });
    const w = Tensor.randn([3, 6], rng, { requiresGrad: true });
    const b = Tensor.randn([3], rng, { requiresGrad: true });
    const calls = recordCalls();
    const y = linear(x, w, b);
    expect(calls).toEqual([{ m: 4, k: 6, n: 3, transA: false, transB: true, accumulate: false }]);
    const loss = y.sum();
    loss.backward();
    expect(calls.slice(1)).toEqual([
      { m: 4, k: 3, n: 6, transA: false, transB: false, accumulate: false }, // dx = g·W
      { m: 3, k: 4, n: 6, transA: true, transB: false, accumulate: false }, // dW = gᵀ·x
    ]);
    const first = [x.grad!.toArray(), w.grad!.toArray()];
    loss.backward();
    expect(calls.slice(3).map((c) => c.accumulate)).toEqual([true, true]);
    expectClose(x.grad!.data, first[0].map((v) => 2 * v), 'dx twice');
    expectClose(w.grad!.data, first[1].map((v) => 2 * v), 'dW twice');
  });

  it('adds into a gradient another use of the same input already started (fan-in)', () => {
    const rng = new Rng(5);
    const x = Tensor.randn([2, 4], rng, { requiresGrad: true });
    const w = Tensor.randn([3, 4], rng);
    linear(x, w).add(x.matmul(w.transpose())).sum().backward();
    const once = Tensor.randn([2, 4], new Rng(5), { requiresGrad: true });
    linear(once, w).sum().backward();
    expectClose(x.grad!.data, once.grad!.toArray().map((v) => 2 * v), 'dx of two uses');
  });

  it('skips the input gradient when the input needs none (the first layer)', () => {
    const rng = new Rng(1);
    const x = Tensor.randn([2, 5], rng);
    const w = Tensor.randn([3, 5], rng, { requiresGrad: true });
    const calls = recordCalls();
    linear(x, w).sum().backward();
    expect(calls.map((c) => c.transA)).toEqual([false, true]);
  });

  it('equals x.matmul(Wᵀ) + b', () => {
    const rng = new Rng(2);
    const x = Tensor.randn([5, 7], rng);
    const w = Tensor.randn([4, 7], rng);
    const b = Tensor.randn([4], rng);
    expectClose(linear(x, w, b).data, x.matmul(w.transpose()).add(b).data, 'linear');
    expect(() => linear(x, w, Tensor.zeros([5]))).toThrow(/bias must be \[4\]/);
  });
});
