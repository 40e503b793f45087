// The CNN layers as nn modules: PyTorch's layouts, defaults and initialisation, settings checked
// when a module is built, and Module's buffers in state dicts.
import { describe, expect, it } from 'vitest';
import { AvgPool2d, BatchNorm2d, Conv2d, ELU, Flatten, GELU, LeakyReLU, MaxPool2d, Module, Rng, Sequential, Sigmoid, Softplus, Tanh, Tensor, conv2d } from '../../src/engine';

describe('Conv2d', () => {
  it('has PyTorch layout and init U(−1/√fan_in, 1/√fan_in), fan_in = in·kH·kW, reproducible by seed', () => {
    const conv = new Conv2d(3, 6, [5, 4], { rng: new Rng(1) });
    expect(conv.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['weight', [6, 3, 5, 4]],
      ['bias', [6]],
    ]);
    const bound = 1 / Math.sqrt(3 * 5 * 4);
    for (const p of conv.parameters()) {
      expect(p.requiresGrad).toBe(true);
      for (const v of p.data) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    }
    expect(Math.max(...conv.weight.data)).toBeGreaterThan(0.9 * bound);
    expect(Math.min(...conv.weight.data)).toBeLessThan(-0.9 * bound);
    expect(new Conv2d(3, 6, [5, 4], { rng: new Rng(1) }).weight.toArray()).toEqual(conv.weight.toArray());
    expect(new Conv2d(3, 6, [5, 4], { rng: new Rng(2) }).weight.toArray()).not.toEqual(conv.weight.toArray());
    expect(new Conv2d(1, 2, 3, { bias: false }).parameters()).toHaveLength(1);
  });

  it('computes the cross-correlation with stride and padding, output floor((H + 2p − k)/s) + 1', () => {
    const conv = new Conv2d(1, 1, 2, { stride: 2, padding: 1 });
    conv.weight.data.set([1, 2, 3, 4]);
    conv.bias?.data.set([0.5]);
    const x = Tensor.fromArray([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
    const y = conv.forward(x);
    expect(y.shape).toEqual([1, 1, 2, 2]);
    // Windows over the zero-padded 5×5 input at rows/cols {-1, 0} and {1, 2}.
    expect(y.toArray()).toEqual([4 * 1 + 0.5, 3 * 2 + 4 * 3 + 0.5, 2 * 4 + 4 * 7 + 0.5, 1 * 5 + 2 * 6 + 3 * 8 + 4 * 9 + 0.5]);
    expect(new Conv2d(2, 4, 3, { stride: [2, 1], padding: [0, 1] }).forward(Tensor.zeros([5, 2, 9, 6])).shape).toEqual([5, 4, 4, 6]);
  });

  it('refuses bad settings and inputs with clear messages', () => {
    expect(() => new Conv2d(0, 2, 3)).toThrow(/inChannels/);
    expect(() => new Conv2d(1, 2, 0)).toThrow(/kernelSize/);
    expect(() => new Conv2d(1, 2, 3, { stride: 0 })).toThrow(/stride/);
    expect(() => new Conv2d(1, 2, 3, { padding: -1 })).toThrow(/padding/);
    expect(() => new Conv2d(1, 2, 3, { padding: [1, 1.5] })).toThrow(/padding/);
    const conv = new Conv2d(2, 3, 3);
    expect(() => conv.forward(Tensor.zeros([1, 3, 5, 5]))).toThrow(/3 channels but weight \[3, 2, 3, 3\] expects 2/);
    expect(() => conv.forward(Tensor.zeros([2, 5, 5]))).toThrow(/expected input \[N, C, H, W\]/);
    expect(() => conv.forward(Tensor.zeros([1, 2, 2, 5]))).toThrow(/kernel 3 is larger than the padded input height 2/);
    expect(() => conv2d(Tensor.zeros([1, 2, 5, 5]), conv.weight, Tensor.zeros([2]))).toThrow(/bias must be \[3\]/);
  });
});

describe('pooling, flatten and activation modules', () => {
  it('MaxPool2d / AvgPool2d: stride defaults to the kernel, floor mode, settings checked at construction', () => {
    const x = Tensor.fromArray(
      Array.from({ length: 2 * 7 * 7 }, (_, i) => i),
      [1, 2, 7, 7],
    );
    expect(new MaxPool2d(3).forward(x).shape).toEqual([1, 2, 2, 2]);
    expect(new MaxPool2d(3).forward(x).toArray().slice(0, 4)).toEqual([16, 19, 37, 40]);
    expect(new AvgPool2d(2, { stride: 1 }).forward(x).shape).toEqual([1, 2, 6, 6]);
    expect(new AvgPool2d(2).forward(x).toArray()[0]).toBe((0 + 1 + 7 + 8) / 4);
    // count_include_pad: the corner window of a padded 3×3 average holds 4 real pixels of 9.
    const ones = Tensor.ones([1, 1, 4, 4]);
    expect(new AvgPool2d(3, { stride: 1, padding: 1 }).forward(ones).toArray()[0]).toBeCloseTo(4 / 9, 6);
    expect(new AvgPool2d(3, { stride: 1, padding: 1, countIncludePad: false }).forward(ones).toArray()[0]).toBe(1);
    expect(() => new MaxPool2d(2, { padding: 2 })).toThrow(/at most half the kernel/);
    expect(() => new AvgPool2d(0)).toThrow(/kernelSize/);
    expect(() => new MaxPool2d(3).forward(Tensor.zeros([4, 4]))).toThrow(/expected input/);
  });

  it('Flatten merges all but the batch by default, as nn.Flatten', () => {
    const x = Tensor.zeros([2, 3, 4, 5]);
    expect(new Flatten().forward(x).shape).toEqual([2, 60]);
    expect(new Flatten({ startDim: 0, endDim: 1 }).forward(x).shape).toEqual([6, 4, 5]);
    expect(x.flatten().shape).toEqual([120]);
    expect(new Flatten().forward(x).data).toBe(x.data); // a view
    expect(() => new Flatten({ startDim: 3, endDim: 1 }).forward(x)).toThrow(/startDim 3 comes after endDim 1/);
  });

  it("ReLU (branch-free on the float bits) keeps PyTorch's edge cases", () => {
    const x = Tensor.fromArray([-Infinity, -3, -0, 0, 1e-45, 2.5, Infinity, Number.NaN], [8], { requiresGrad: true });
    const y = x.relu();
    expect(y.toArray()).toEqual([0, 0, 0, 0, 1e-45, 2.5, Infinity, Number.NaN].map(Math.fround));
    // Gradient only where the output is positive (NaN passes, as torch's threshold_backward lets it);
    // an infinite or NaN upstream value of a dead unit is dropped, not turned into 0·∞.
    y.backward(Tensor.fromArray([Infinity, Number.NaN, 3, 4, 5, 6, 7, 8], [8]));
    expect(x.grad?.toArray()).toEqual([0, 0, 0, 0, 5, 6, 7, 8]);
  });

  it('activations take PyTorch defaults and compute its formulas', () => {
    const x = Tensor.fromArray([-30, -2, -0.5, 0, 0.5, 3, 25], [7]);
    const at = (m: Module) => m.forward(x).toArray();
    const close = (got: number[], want: number[]) => got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 6));
    close(
      at(new LeakyReLU()),
      x.toArray().map((v) => (v > 0 ? v : 0.01 * v)),
    );
    close(
      at(new LeakyReLU({ negativeSlope: 0.2 })),
      x.toArray().map((v) => (v > 0 ? v : 0.2 * v)),
    );
    close(
      at(new ELU()),
      x.toArray().map((v) => (v > 0 ? v : Math.expm1(v))),
    );
    close(
      at(new ELU({ alpha: 2 })),
      x.toArray().map((v) => (v > 0 ? v : 2 * Math.expm1(v))),
    );
    // Softplus: linear above the threshold (βx > 20), log(1 + e^(βx))/β below.
    close(
      at(new Softplus()),
      x.toArray().map((v) => (v > 20 ? v : Math.log1p(Math.exp(v)))),
    );
    close(
      at(new Softplus({ beta: 2, threshold: 5 })),
      x.toArray().map((v) => (2 * v > 5 ? v : Math.log1p(Math.exp(2 * v)) / 2)),
    );
    // GELU(x) = x·Φ(x): Φ(−2) = 0.0227501319, Φ(0.5) = 0.6914624613, Φ(3) = 0.9986501020.
    close(at(new GELU()).slice(1, 6), [-2 * 0.0227501319, -0.5 * (1 - 0.6914624613), 0, 0.5 * 0.6914624613, 3 * 0.998650102]);
    close(at(new Tanh()), x.toArray().map(Math.tanh));
    close(
      at(new Sigmoid()),
      x.toArray().map((v) => 1 / (1 + Math.exp(-v))),
    );
    expect(() => new LeakyReLU({ negativeSlope: Number.NaN })).toThrow(/negativeSlope/);
    expect(() => new Softplus({ beta: 0 })).toThrow(/beta/);
  });
});

describe('Module buffers', () => {
  class Counter extends Module {
    readonly count = this.registerBuffer('count', Tensor.zeros([]));
    readonly scale = this.registerParameter('scale', Tensor.ones([2]));
    forward(x: Tensor): Tensor {
      return x.mul(this.scale);
    }
  }

  it('are saved and loaded but not trained, under PyTorch-style dotted names', () => {
    const model = Sequential.named([
      ['c', new Counter()],
      ['bn', new BatchNorm2d(2)],
    ]);
    expect(model.namedParameters().map(([n]) => n)).toEqual(['c.scale', 'bn.weight', 'bn.bias']);
    expect(model.namedBuffers().map(([n]) => n)).toEqual(['c.count', 'bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked']);
    expect(model.buffers().every((b) => !b.requiresGrad)).toBe(true);
    expect([...model.stateDict().keys()]).toEqual(['c.scale', 'c.count', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked']);

    const other = Sequential.named([
      ['c', new Counter()],
      ['bn', new BatchNorm2d(2)],
    ]);
    const dict = new Map(other.stateDict());
    dict.set('bn.running_mean', Tensor.fromArray([3, 4], [2]));
    dict.set('c.count', Tensor.fromArray([7], []));
    const runningMean = model.namedBuffers()[1][1];
    model.loadStateDict(dict);
    expect(model.namedBuffers()[1][1]).toBe(runningMean); // copied in place
    expect(runningMean.toArray()).toEqual([3, 4]);
    expect(model.namedBuffers()[0][1].item()).toBe(7);

    dict.delete('bn.running_var');
    expect(() => model.loadStateDict(dict)).toThrow(/missing "bn.running_var"/);
    dict.set('bn.running_var', Tensor.ones([3]));
    expect(() => model.loadStateDict(dict)).toThrow(/"bn.running_var" has shape \[3\], the model expects \[2\]/);
    expect(runningMean.toArray()).toEqual([3, 4]); // a refused dict changes nothing
  });

  it('share the namespace with parameters and children', () => {
    class Clash extends Module {
      constructor() {
        super();
        this.registerParameter('w', Tensor.ones([1]));
        this.registerBuffer('w', Tensor.ones([1]));
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    expect(() => new Clash()).toThrow(/"w" is already registered/);
  });
});
