import { describe, expect, it } from 'vitest';
import { crossEntropy, nllLoss, Rng, Tensor } from '../../src/engine';

describe('Tensor', () => {
  it('builds from factories with the given shape', () => {
    expect(Tensor.zeros([2, 3]).toArray()).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Tensor.ones([2]).toArray()).toEqual([1, 1]);
    expect(Tensor.full([1, 2], 7).toArray()).toEqual([7, 7]);
    const s = Tensor.fromArray([5], []);
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(5);
    const r = Tensor.randn([100], new Rng(1));
    expect(r.toArray()).toEqual(Tensor.randn([100], new Rng(1)).toArray());
  });

  it('refuses data that does not fill the shape, and bad shapes', () => {
    expect(() => Tensor.fromArray([1, 2, 3], [2, 2])).toThrow(/3 values do not fill shape \[2, 2\]/);
    expect(() => new Tensor(new Float32Array(2), [3])).toThrow(/do not fill/);
    expect(() => Tensor.zeros([2, -1])).toThrow(/invalid shape/);
    expect(() => Tensor.zeros([1.5])).toThrow(/invalid shape/);
    expect(() => Tensor.ones([2]).item()).toThrow(/2 elements/);
  });

  it('reshape infers -1, shares storage and checks sizes', () => {
    const x = Tensor.fromArray([1, 2, 3, 4, 5, 6], [2, 3]);
    const y = x.reshape([-1, 2]);
    expect(y.shape).toEqual([3, 2]);
    expect(y.data).toBe(x.data);
    expect(() => x.reshape([4, -1])).toThrow(/cannot reshape \[2, 3\]/);
    expect(() => x.reshape([-1, -1])).toThrow(/invalid shape/);
  });

  it('transposes any two axes', () => {
    const x = Tensor.fromArray([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [2, 3, 2]);
    const y = x.transpose(0, 2); // [2, 3, 2]: y[k, j, i] = x[i, j, k]
    expect(y.shape).toEqual([2, 3, 2]);
    expect(y.toArray()).toEqual([0, 6, 2, 8, 4, 10, 1, 7, 3, 9, 5, 11]);
    expect(Tensor.fromArray([1, 2, 3, 4, 5, 6], [2, 3]).transpose().toArray()).toEqual([1, 4, 2, 5, 3, 6]);
    expect(() => x.transpose()).toThrow(/2-D/);
    expect(() => x.transpose(0, 3)).toThrow(/out of range/);
  });

  it('broadcasts like numpy and explains shapes that do not', () => {
    const a = Tensor.fromArray([1, 2, 3], [3, 1]);
    const b = Tensor.fromArray([10, 20], [2]);
    const c = a.add(b);
    expect(c.shape).toEqual([3, 2]);
    expect(c.toArray()).toEqual([11, 21, 12, 22, 13, 23]);
    expect(() => Tensor.ones([2, 3]).mul(Tensor.ones([2]))).toThrow(/\[2, 3\] and \[2\] cannot be broadcast/);
  });

  it('checks matmul shapes', () => {
    expect(() => Tensor.ones([2, 3]).matmul(Tensor.ones([2, 3]))).toThrow(/inner dimensions/);
    expect(() => Tensor.ones([3]).matmul(Tensor.ones([3, 1]))).toThrow(/2-D/);
  });

  it('reduces with keepdim and negative axes', () => {
    const x = Tensor.fromArray([1, 5, 3, 4, 2, 6], [2, 3]);
    expect(x.sum(-1, true).shape).toEqual([2, 1]);
    expect(x.sum(undefined, true).shape).toEqual([1, 1]);
    expect(x.mean(0).toArray()).toEqual([2.5, 3.5, 4.5]);
    expect(x.max(1).toArray()).toEqual([5, 6]);
    expect(Array.from(x.argmax(1))).toEqual([1, 2]);
    expect(Array.from(x.argmax())).toEqual([5]);
  });

  it('softmax and logSoftmax stay finite for logits in the thousands', () => {
    const x = Tensor.fromArray([1000, 0, -1000, 3000], [2, 2]);
    expect(x.softmax().toArray()).toEqual([1, 0, 0, 1]);
    expect(x.logSoftmax().toArray()).toEqual([0, -1000, -4000, 0]);
  });

  it('crossEntropy stays finite and exact for logits in the thousands', () => {
    const logits = Tensor.fromArray([1000, 0, -1000, 2000], [2, 2], { requiresGrad: true });
    const loss = crossEntropy(logits, [1, 0]); // row 0 misses by 1000, row 1 by 3000
    expect(loss.item()).toBe(2000);
    loss.backward();
    expect(logits.grad?.toArray()).toEqual([0.5, -0.5, -0.5, 0.5]);
  });

  it('losses validate their targets', () => {
    const logits = Tensor.zeros([2, 3]);
    expect(() => crossEntropy(logits, [0, 3])).toThrow(/target 3 at position 1/);
    expect(() => crossEntropy(logits, [0])).toThrow(/1 targets for a batch of 2/);
    expect(() => nllLoss(logits, [0, 0.5])).toThrow(/not a class index/);
    expect(() => crossEntropy(Tensor.zeros([3]), [0])).toThrow(/\[N, C\]/);
    expect(crossEntropy(logits, Int32Array.from([2, 1])).item()).toBeCloseTo(Math.log(3), 6);
  });
});
