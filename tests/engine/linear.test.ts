// Linear's hot path goes through the matmul kernel interface with the transposed variants,
// never materialising Wᵀ, and its backward accumulates into existing gradients.
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

  it('runs forward as x·Wᵀ (transB) and backward as g·W and gᵀ·x, accumulating', () => {
    const rng = new Rng(0);
    const x = Tensor.randn([4, 6], rng, { requiresGrad: true });
    const w = Tensor.randn([3, 6], rng, { requiresGrad: true });
    const b = Tensor.randn([3], rng, { requiresGrad: true });
    const calls = recordCalls();
    const y = linear(x, w, b);
    expect(calls).toEqual([{ m: 4, k: 6, n: 3, transA: false, transB: true, accumulate: false }]);
    y.sum().backward();
    expect(calls.slice(1)).toEqual([
      { m: 4, k: 3, n: 6, transA: false, transB: false, accumulate: true }, // dx = g·W
      { m: 3, k: 4, n: 6, transA: true, transB: false, accumulate: true }, // dW = gᵀ·x
    ]);
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
