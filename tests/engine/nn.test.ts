import { describe, expect, it } from 'vitest';
import { gradNorm, Linear, MLP, ParameterSnapshot, ReLU, Rng, Sequential, Tensor } from '../../src/engine';

const snapshot = (model: MLP) => model.parameters().map((p) => p.toArray());

describe('nn', () => {
  it('Linear has PyTorch layout and init bounds, reproducible by seed', () => {
    const l = new Linear(50, 7, { rng: new Rng(1) });
    expect(l.weight.shape).toEqual([7, 50]);
    expect(l.bias?.shape).toEqual([7]);
    const bound = 1 / Math.sqrt(50);
    for (const p of l.parameters()) {
      expect(p.requiresGrad).toBe(true);
      for (const v of p.data) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    }
    // Spread over the whole interval, not a corner of it.
    expect(Math.max(...l.weight.data)).toBeGreaterThan(0.9 * bound);
    expect(Math.min(...l.weight.data)).toBeLessThan(-0.9 * bound);
    expect(new Linear(50, 7, { rng: new Rng(1) }).weight.toArray()).toEqual(l.weight.toArray());
    expect(new Linear(50, 7, { rng: new Rng(2) }).weight.toArray()).not.toEqual(l.weight.toArray());
    expect(new Linear(3, 2, { bias: false }).parameters()).toHaveLength(1);
    expect(() => new Linear(0, 2)).toThrow(/inFeatures/);
  });

  it('Linear computes x·Wᵀ + b', () => {
    const l = new Linear(2, 2, { rng: new Rng(0) });
    l.weight.data.set([1, 2, 3, 4]);
    l.bias?.data.set([10, 20]);
    expect(l.forward(Tensor.fromArray([1, 1, 0, 1], [2, 2])).toArray()).toEqual([13, 27, 12, 24]);
    expect(() => l.forward(Tensor.ones([2, 3]))).toThrow(/3 features/);
  });

  it('MLP names its parameters like the PyTorch ANet', () => {
    const model = new MLP(784, 32, 10, new Rng(0));
    expect(model.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['l1.weight', [32, 784]],
      ['l1.bias', [32]],
      ['l2.weight', [10, 32]],
      ['l2.bias', [10]],
    ]);
    const x = Tensor.randn([3, 784], new Rng(1));
    const { hidden, logits } = model.forwardWithHidden(x);
    expect(hidden.shape).toEqual([3, 32]);
    expect(Math.min(...hidden.data)).toBeGreaterThanOrEqual(0);
    expect(logits.shape).toEqual([3, 10]);
    expect(model.forward(x).toArray()).toEqual(logits.toArray());
  });

  it('Sequential numbers its children', () => {
    const seq = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
    expect(seq.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(seq.forward(Tensor.ones([5, 4])).shape).toEqual([5, 2]);
  });

  it('Sequential.named keeps the names, as nn.Sequential(OrderedDict(...))', () => {
    const seq = Sequential.named([
      ['fc1', new Linear(4, 3)],
      ['act', new ReLU()],
      ['out', new Linear(3, 2)],
    ]);
    expect(seq.namedParameters().map(([n]) => n)).toEqual(['fc1.weight', 'fc1.bias', 'out.weight', 'out.bias']);
    expect(seq.namedLayers().map(([n]) => n)).toEqual(['fc1', 'act', 'out']);
    expect(seq.forward(Tensor.ones([5, 4])).shape).toEqual([5, 2]);
    expect(() =>
      Sequential.named([
        ['a', new ReLU()],
        ['a', new ReLU()],
      ]),
    ).toThrow(/already registered/);
    expect(() => Sequential.named([['a.b', new ReLU()]])).toThrow(/invalid name/);
  });

  it('loadStateDict copies in place, keeping the parameter tensors', () => {
    const a = new MLP(784, 16, 10, new Rng(1));
    const b = new MLP(784, 16, 10, new Rng(2));
    const before = b.parameters();
    b.loadStateDict(a.stateDict());
    expect(b.parameters()).toEqual(before); // same objects
    expect(b.parameters()[0]).toBe(before[0]);
    expect(snapshot(b)).toEqual(snapshot(a));
    const asRecord = Object.fromEntries(new MLP(784, 16, 10, new Rng(3)).stateDict());
    b.loadStateDict(asRecord);
    expect(snapshot(b)).toEqual(snapshot(new MLP(784, 16, 10, new Rng(3))));
  });

  it('loadStateDict rejects bad dicts before touching anything', () => {
    const model = new MLP(784, 16, 10, new Rng(1));
    const original = snapshot(model);
    const good = () => new Map(new MLP(784, 16, 10, new Rng(9)).stateDict());

    const missing = good();
    missing.delete('l2.bias');
    expect(() => model.loadStateDict(missing)).toThrow(/missing "l2.bias"/);

    const extra = good().set('l3.weight', Tensor.zeros([1]));
    expect(() => model.loadStateDict(extra)).toThrow(/unexpected "l3.weight"/);

    const wrongShape = good().set('l2.weight', Tensor.zeros([10, 17])); // the other entries are fine
    expect(() => model.loadStateDict(wrongShape)).toThrow(/"l2.weight" has shape \[10, 17\], the model expects \[10, 16\]/);
    expect(() => model.loadStateDict(wrongShape, { strict: false })).toThrow(/l2.weight/);

    expect(snapshot(model)).toEqual(original);

    // Non-strict: unknown names are ignored, missing ones left as they are.
    const partial = new Map([
      ['l1.bias', Tensor.ones([16])],
      ['extra', Tensor.zeros([2])],
    ]);
    model.loadStateDict(partial, { strict: false });
    expect(model.l1.bias?.toArray()).toEqual(new Array(16).fill(1));
    expect(model.l1.weight.toArray()).toEqual(original[0]);
  });

  it('gradNorm is the L2 norm of all gradients together, parameters without one counted as none', () => {
    const model = new MLP(5, 3, 2, new Rng(3));
    expect(gradNorm(model.parameters())).toBe(0);
    model
      .forward(Tensor.randn([4, 5], new Rng(4)))
      .sum()
      .backward();
    const all = model.parameters().flatMap((p) => [...p.grad!.data]);
    const want = Math.sqrt(all.reduce((s, g) => s + Math.fround(g * g), 0));
    expect(gradNorm(model.parameters())).toBeCloseTo(want, 10);
    expect(gradNorm([...model.parameters(), Tensor.ones([3], { requiresGrad: true })])).toBeCloseTo(want, 10);
  });

  it('ParameterSnapshot measures ‖after − before‖ / ‖before‖ over all the parameters together, once per snapshot', () => {
    const model = new MLP(5, 3, 2, new Rng(3));
    const params = model.parameters();
    const snapshot = new ParameterSnapshot(params);
    expect(snapshot.updateRatio()).toBeNull();
    snapshot.take();
    const before = params.map((p) => Float32Array.from(p.data));
    params.forEach((p, k) => p.data.forEach((_, i) => (p.data[i] += 1e-3 * (k + 1) * Math.sin(i + k))));
    let delta = 0;
    let norm = 0;
    params.forEach((p, k) =>
      p.data.forEach((v, i) => {
        delta += Math.fround(v - before[k][i]) ** 2;
        norm += before[k][i] ** 2;
      }),
    );
    expect(snapshot.updateRatio()).toBeCloseTo(Math.sqrt(delta / norm), 6);
    // Measured once: the next step needs a new snapshot.
    expect(snapshot.updateRatio()).toBeNull();
    snapshot.take();
    expect(snapshot.updateRatio()).toBe(0);
    const zeros = new ParameterSnapshot([Tensor.zeros([4])]);
    zeros.take();
    expect(zeros.updateRatio()).toBe(0);
  });
});
