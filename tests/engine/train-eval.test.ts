// Layers that behave differently in training and evaluation: batch norm's running statistics
// against PyTorch (tests/fixtures/engine_extras.json, made by make_engine_extras.py) and
// dropout's seeded masks; and train()/eval() reaching every module of a model.
import { describe, expect, it } from 'vitest';
import { BatchNorm1d, BatchNorm2d, type BatchNormOptions, Conv2d, Dropout, Flatten, Linear, ReLU, Rng, Sequential, Tensor, dropout, noGrad } from '../../src/engine';
import { expectClose, readFixtureJson, tensorOf } from './fixtures';

interface Arr {
  shape: number[];
  data: number[];
}
interface Pass {
  input: Arr;
  output: Arr;
  upstream: Arr;
  input_grad: Arr;
}
interface BatchNormCase {
  name: string;
  module: 'BatchNorm1d' | 'BatchNorm2d';
  num_features: number;
  options: { momentum?: number | null; eps?: number };
  init: Record<string, Arr>;
  train_steps: (Pass & { state: Record<string, Arr> })[];
  eval: Pass & { weight_grad: Arr; bias_grad: Arr };
}

const { batch_norm: batchNormCases } = readFixtureJson<{ batch_norm: BatchNormCase[] }>('engine_extras.json');

describe('BatchNorm1d / BatchNorm2d match PyTorch across training steps and in evaluation', () => {
  for (const c of batchNormCases) {
    it(c.name, () => {
      const options: BatchNormOptions = { momentum: c.options.momentum, eps: c.options.eps };
      const bn = c.module === 'BatchNorm2d' ? new BatchNorm2d(c.num_features, options) : new BatchNorm1d(c.num_features, options);
      // PyTorch's names and order: parameters, then buffers; only the parameters train.
      expect([...bn.stateDict().keys()]).toEqual(Object.keys(c.init));
      expect(bn.parameters()).toEqual([bn.weight, bn.bias]);
      expect(bn.namedBuffers().map(([n]) => n)).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
      expect(bn.runningMean?.toArray()).toEqual(new Array(c.num_features).fill(0));
      expect(bn.runningVar?.toArray()).toEqual(new Array(c.num_features).fill(1));
      bn.loadStateDict(new Map(Object.entries(c.init).map(([n, a]) => [n, tensorOf(a)])));

      for (const [s, step] of c.train_steps.entries()) {
        const x = tensorOf(step.input, true);
        const y = bn.forward(x);
        expectClose(y.data, step.output.data, `step ${s} output`);
        y.backward(tensorOf(step.upstream));
        expectClose(x.grad?.data ?? [], step.input_grad.data, `step ${s} input gradient`);
        for (const [name, t] of bn.stateDict()) expectClose(t.data, step.state[name].data, `step ${s} ${name}`);
      }

      bn.eval();
      for (const p of bn.parameters()) p.grad = null;
      const before = bn.buffers().map((b) => b.toArray());
      const x = tensorOf(c.eval.input, true);
      const y = bn.forward(x);
      expectClose(y.data, c.eval.output.data, 'eval output');
      y.backward(tensorOf(c.eval.upstream));
      expectClose(x.grad?.data ?? [], c.eval.input_grad.data, 'eval input gradient');
      expectClose(bn.weight?.grad?.data ?? [], c.eval.weight_grad.data, 'eval weight gradient');
      expectClose(bn.bias?.grad?.data ?? [], c.eval.bias_grad.data, 'eval bias gradient');
      expect(bn.buffers().map((b) => b.toArray())).toEqual(before); // evaluation leaves the running statistics alone
    });
  }

  it('refuses what PyTorch refuses, and a refused batch counts nothing', () => {
    const bn = new BatchNorm1d(3);
    expect(() => bn.forward(Tensor.ones([1, 3]))).toThrow(/more than 1 value per channel/);
    expect(bn.numBatchesTracked?.item()).toBe(0);
    expect(bn.runningMean?.toArray()).toEqual([0, 0, 0]);
    expect(() => bn.forward(Tensor.ones([4, 2]))).toThrow(/2 channels, expected 3/);
    expect(() => bn.forward(Tensor.ones([4, 3, 2, 2]))).toThrow(/BatchNorm1d: expected input \[N, C\] or \[N, C, L\]/);
    expect(() => new BatchNorm2d(2).forward(Tensor.ones([4, 2]))).toThrow(/BatchNorm2d/);
    expect(() => new BatchNorm2d(0)).toThrow(/numFeatures/);
    expect(() => new BatchNorm2d(2, { momentum: 2 })).toThrow(/momentum/);
  });

  it('without affine or running statistics, as PyTorch: no parameters, no buffers, batch statistics always', () => {
    const bn = new BatchNorm1d(2, { affine: false, trackRunningStats: false });
    expect(bn.parameters()).toEqual([]);
    expect([...bn.stateDict().keys()]).toEqual([]);
    const x = Tensor.fromArray([1, 10, 3, 30], [2, 2]);
    const train = bn.forward(x).toArray();
    bn.eval();
    expect(bn.forward(x).toArray()).toEqual(train);
    expectClose(train, [-1, -1, 1, 1], 'normalised', 1e-4);
  });
});

describe('Dropout', () => {
  const x = Tensor.ones([64, 50]);

  it('zeroes a fraction p and scales the rest by 1/(1 − p), reproducibly by seed', () => {
    const a = new Dropout({ p: 0.3, rng: new Rng(5) }).forward(x).toArray();
    const b = new Dropout({ p: 0.3, rng: new Rng(5) }).forward(x).toArray();
    const c = new Dropout({ p: 0.3, rng: new Rng(6) }).forward(x).toArray();
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const kept = a.filter((v) => v !== 0);
    for (const v of kept) expect(v).toBeCloseTo(1 / 0.7, 6);
    // 3,200 draws: the dropped share is within 4 standard deviations (±0.032) of p.
    expect(Math.abs(1 - kept.length / a.length - 0.3)).toBeLessThan(0.032);
  });

  it('draws a fresh mask every call and sends the gradient through the same mask', () => {
    const layer = new Dropout({ p: 0.5, rng: new Rng(1) });
    const input = Tensor.ones([4, 8], { requiresGrad: true });
    const y = layer.forward(input);
    expect(layer.forward(input).toArray()).not.toEqual(y.toArray());
    y.backward(Tensor.full([4, 8], 3));
    expect(input.grad?.toArray()).toEqual(y.toArray().map((v) => 3 * v));
  });

  it('is the identity in evaluation and for p = 0; p = 1 zeroes everything', () => {
    const layer = new Dropout({ p: 0.9 });
    expect(layer.eval().forward(x)).toBe(x);
    expect(dropout(x, 0, true, new Rng(0))).toBe(x);
    expect(new Set(dropout(x, 1, true, new Rng(0)).toArray())).toEqual(new Set([0]));
    expect(() => new Dropout({ p: 1.5 })).toThrow(/probability/);
    expect(() => dropout(x, -0.1, false, new Rng(0))).toThrow(/probability/);
  });
});

describe('train() / eval()', () => {
  it('reach every module of a model, and batch norm and dropout follow them', () => {
    const bn = new BatchNorm2d(2);
    const drop = new Dropout({ p: 0.5 });
    const model = Sequential.named([
      ['conv', new Conv2d(1, 2, 3, { padding: 1 })],
      ['bn', bn],
      ['act', new ReLU()],
      ['flat', new Flatten()],
      ['drop', drop],
      ['fc', new Linear(2 * 4 * 4, 3)],
    ]);
    expect(model.training).toBe(true);
    expect(model.eval()).toBe(model);
    expect([model, ...model.layers].every((m) => !m.training)).toBe(true);

    const input = Tensor.randn([3, 1, 4, 4], new Rng(2));
    const first = noGrad(() => model.forward(input)).toArray();
    expect(noGrad(() => model.forward(input)).toArray()).toEqual(first); // no dropout, fixed statistics
    expect(bn.numBatchesTracked?.item()).toBe(0);

    model.train();
    expect([model, ...model.layers].every((m) => m.training)).toBe(true);
    noGrad(() => model.forward(input)); // running statistics update under noGrad too, as in PyTorch
    expect(bn.numBatchesTracked?.item()).toBe(1);
    expect(bn.runningMean?.toArray()).not.toEqual([0, 0]);
    expect([...model.stateDict().keys()]).toEqual(['conv.weight', 'conv.bias', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked', 'fc.weight', 'fc.bias']);
    expect(model.parameters()).toHaveLength(6);
  });
});
