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
    expectClose(
      x.grad!.data,
      first[0].map((v) => 2 * v),
      'dx twice',
    );
    expectClose(
      w.grad!.data,
      first[1].map((v) => 2 * v),
      'dW twice',
    );
  });

  it('adds into a gradient another use of the same input already started (fan-in)', () => {
    const rng = new Rng(5);
    const x = Tensor.randn([2, 4], rng, { requiresGrad: true });
    const w = Tensor.randn([3, 4], rng);
    linear(x, w).add(x.matmul(w.transpose())).sum().backward();
    const once = Tensor.randn([2, 4], new Rng(5), { requiresGrad: true });
    linear(once, w).sum().backward();
    expectClose(
      x.grad!.data,
      once.grad!.toArray().map((v) => 2 * v),
      'dx of two uses',
    );
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

describe('linear on inputs with all-zero columns (pixels no digit in the batch touches)', () => {
  afterEach(() => setMatmulBackend(null));

  /** x [rows, cols] with the given columns zero in every row. */
  function withZeroColumns(rows: number, cols: number, zero: (c: number) => boolean, rng: Rng): Tensor {
    const x = Tensor.randn([rows, cols], rng);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (zero(c)) x.data[r * cols + c] = 0;
    return x;
  }

  it('multiplies only the non-zero columns, with the values and gradients of the full product', () => {
    const rng = new Rng(7);
    const zero = (c: number): boolean => c < 20 || (c >= 50 && c < 61) || c % 7 === 3 || c === 99;
    const xValues = withZeroColumns(6, 100, zero, rng);
    const x = Tensor.fromArray(xValues.data, [6, 100], { requiresGrad: true });
    const w = Tensor.randn([5, 100], rng, { requiresGrad: true });
    const b = Tensor.randn([5], rng, { requiresGrad: true });
    const kept = Array.from({ length: 100 }, (_, c) => c).filter((c) => !zero(c)).length;
    const calls = recordCalls();
    const y = linear(x, w, b);
    expect(calls).toEqual([{ m: 6, k: kept, n: 5, transA: false, transB: true, accumulate: false }]);
    const upstream = Tensor.randn([6, 5], rng);
    y.mul(upstream).sum().backward();
    expect(calls.slice(1)).toEqual([
      { m: 6, k: 5, n: 100, transA: false, transB: false, accumulate: false }, // dx = g·W, all columns
      { m: 5, k: 6, n: kept, transA: true, transB: false, accumulate: false }, // dW, the kept columns
    ]);
    setMatmulBackend(null);
    const x2 = Tensor.fromArray(xValues.data, [6, 100], { requiresGrad: true });
    const w2 = Tensor.fromArray(w.data, [5, 100], { requiresGrad: true });
    const b2 = Tensor.fromArray(b.data, [5], { requiresGrad: true });
    const full = x2.matmul(w2.transpose()).add(b2);
    full.mul(upstream).sum().backward();
    expectClose(y.data, full.data, 'y');
    expectClose(w.grad!.data, w2.grad!.data, 'dW');
    expectClose(x.grad!.data, x2.grad!.data, 'dx');
    expectClose(b.grad!.data, b2.grad!.data, 'db');
    for (let j = 0; j < 5; j++) expect(w.grad!.data[j * 100 + 55]).toBe(0);
  });

  it('adds the kept columns into an existing weight gradient, leaving the others as they were', () => {
    const rng = new Rng(8);
    const x = withZeroColumns(4, 64, (c) => c >= 32, rng);
    const w = Tensor.randn([3, 64], rng, { requiresGrad: true });
    w.grad = Tensor.full([3, 64], 0.5);
    linear(x, w).sum().backward();
    for (let j = 0; j < 3; j++) {
      expect(w.grad.data[j * 64 + 40]).toBe(0.5);
      let column = 0;
      for (let r = 0; r < 4; r++) column += x.data[r * 64 + 5];
      expect(w.grad.data[j * 64 + 5]).toBeCloseTo(0.5 + column, 5);
    }
  });

  it('keeps every column when fewer than a fifth are zero', () => {
    const rng = new Rng(9);
    const x = withZeroColumns(3, 80, (c) => c < 10, rng);
    const calls = recordCalls();
    linear(x, Tensor.randn([2, 80], rng));
    expect(calls[0].k).toBe(80);
  });
});
