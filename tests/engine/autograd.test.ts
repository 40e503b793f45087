import { afterEach, describe, expect, it } from 'vitest';
import { isGradEnabled, noGrad, setFloat32Allocator, Tensor } from '../../src/engine';

const t = (values: number[], shape = [values.length]) => Tensor.fromArray(values, shape, { requiresGrad: true });

describe('autograd', () => {
  afterEach(() => setFloat32Allocator(null));

  it('accumulates gradients across backward calls, as PyTorch does', () => {
    const x = t([1, 2, 3]);
    const y = x.mul(x).sum();
    y.backward();
    expect(x.grad?.toArray()).toEqual([2, 4, 6]);
    y.backward(); // the same graph again
    expect(x.grad?.toArray()).toEqual([4, 8, 12]);
    x.mul(3).sum().backward(); // a fresh graph
    expect(x.grad?.toArray()).toEqual([7, 11, 15]);
  });

  it('sums gradients where a tensor is used more than once', () => {
    const x = t([0.5, -2]);
    // d/dx (x·x + x) = 2x + 1
    x.mul(x).add(x).sum().backward();
    expect(x.grad?.toArray()).toEqual([2, -3]);
  });

  it('keeps gradients on leaves only', () => {
    const x = t([1, 2]);
    const hidden = x.exp();
    hidden.sum().backward();
    expect(hidden.grad).toBeNull();
    expect(hidden.gradFn?.name).toBe('exp');
    expect(x.gradFn).toBeNull();
  });

  it('records nothing under noGrad and restores the mode even when the body throws', () => {
    const x = t([1, 2]);
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      return x.mul(2);
    });
    expect(isGradEnabled()).toBe(true);
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  it('records nothing when no input requires grad', () => {
    const y = Tensor.ones([2]).add(Tensor.ones([2]));
    expect(y.requiresGrad).toBe(false);
    expect(() => y.sum().backward()).toThrow(/does not require grad/);
  });

  it('detach cuts the graph and shares storage', () => {
    const x = t([1, 2]);
    const d = x.mul(2).detach();
    expect(d.requiresGrad).toBe(false);
    const y = d.mul(x).sum();
    y.backward();
    expect(x.grad?.toArray()).toEqual([2, 4]); // d is a constant
  });

  it('asks for a gradient of the right shape on non-scalars', () => {
    const x = t([1, 2, 3]);
    const y = x.mul(2);
    expect(() => y.backward()).toThrow(/non-scalar/);
    expect(() => y.backward(Tensor.ones([2]))).toThrow(/does not match/);
    y.backward(Tensor.fromArray([1, 0, -1], [3]));
    expect(x.grad?.toArray()).toEqual([2, 0, -2]);
  });

  it('handles deep graphs without overflowing the stack', () => {
    const x = t([1]);
    let y = x;
    for (let i = 0; i < 12000; i++) y = y.add(1);
    y.sum().backward();
    expect(x.grad?.item()).toBe(1);
  });

  it('allocates outputs and gradients through the installed allocator', () => {
    setFloat32Allocator((n) => new Float32Array(new SharedArrayBuffer(n * 4)));
    const x = t([1, 2, 3]);
    const y = x.relu().sum();
    y.backward();
    expect(y.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(x.grad?.data.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});
