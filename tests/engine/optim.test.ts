import { describe, expect, it } from 'vitest';
import { Adam, type Optimizer, SGD, Tensor } from '../../src/engine';
import { expectClose } from './fixtures';

function param(values: number[]): Tensor {
  return Tensor.fromArray(values, [values.length], { requiresGrad: true });
}

/** Sets the gradient of p to g (as backward would). */
function setGrad(p: Tensor, g: number[]): void {
  p.grad = Tensor.fromArray(g, p.shape);
}

describe('SGD', () => {
  it('plain step: p -= lr·g', () => {
    const p = param([1, 2]);
    const opt = new SGD([p], { lr: 0.5 });
    setGrad(p, [0.2, -0.4]);
    opt.step();
    expectClose(p.data, [0.9, 2.2], 'p');
    expect(opt.stateDict().buffers).toEqual({});
  });

  it('momentum, dampening and weight decay follow torch.optim.SGD', () => {
    const p = param([1]);
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.5, weightDecay: 0.01 });
    let expected = 1;
    let buf = 0;
    const grads = [0.5, -0.25, 1];
    grads.forEach((g, step) => {
      setGrad(p, [g]);
      opt.step();
      const d = g + 0.01 * expected;
      buf = step === 0 ? d : 0.9 * buf + 0.5 * d; // the first step takes d undamped
      expected -= 0.1 * buf;
      expectClose(p.data, [expected], `step ${step}`);
    });
  });

  it('nesterov uses d + momentum·buf', () => {
    const p = param([0]);
    const opt = new SGD([p], { lr: 1, momentum: 0.5, nesterov: true });
    setGrad(p, [1]);
    opt.step(); // buf = 1, d = 1 + 0.5
    setGrad(p, [1]);
    opt.step(); // buf = 1.5, d = 1 + 0.75
    expectClose(p.data, [-3.25], 'p');
    expect(() => new SGD([p], { lr: 1, nesterov: true })).toThrow(/Nesterov/);
  });
});

describe('Adam', () => {
  it('matches the bias-corrected formula over several steps', () => {
    const p = param([1, -1, 0.5]);
    const opt = new Adam([p], { lr: 0.01, betas: [0.8, 0.9], eps: 1e-6, weightDecay: 0.1 });
    const expected = [1, -1, 0.5];
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    const grads = [
      [0.3, -0.2, 0],
      [0.1, 0.4, -1],
      [-0.5, 0.05, 2],
    ];
    grads.forEach((g, s) => {
      setGrad(p, g);
      opt.step();
      const t = s + 1;
      for (let j = 0; j < 3; j++) {
        const gj = g[j] + 0.1 * expected[j];
        m[j] = 0.8 * m[j] + 0.2 * gj;
        v[j] = 0.9 * v[j] + 0.1 * gj * gj;
        const mHat = m[j] / (1 - 0.8 ** t);
        const vHat = v[j] / (1 - 0.9 ** t);
        expected[j] -= (0.01 * mHat) / (Math.sqrt(vHat) + 1e-6);
      }
      expectClose(p.data, expected, `step ${t}`);
    });
  });

  it('has PyTorch defaults and a settable lr', () => {
    const p = param([0]);
    const opt = new Adam([p]);
    expect(opt.stateDict().hyper).toEqual({ lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 });
    opt.lr = 0.5;
    setGrad(p, [3]);
    opt.step(); // first step moves by lr·sign(g)
    expectClose(p.data, [-0.5], 'p');
  });
});

describe('Optimizer', () => {
  it('zeroGrad drops gradients and step skips parameters without one', () => {
    const a = param([1]);
    const b = param([2]);
    const opt = new Adam([a, b], { lr: 0.1 });
    setGrad(a, [1]);
    opt.step();
    expect(b.toArray()).toEqual([2]);
    expect(Object.keys(opt.stateDict().buffers).sort()).toEqual(['0.exp_avg', '0.exp_avg_sq']);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
  });

  const makers: [string, (ps: Tensor[]) => Optimizer][] = [
    ['adam', (ps) => new Adam(ps, { lr: 0.05 })],
    ['sgd', (ps) => new SGD(ps, { lr: 0.05, momentum: 0.9 })],
  ];
  for (const [kind, make] of makers) {
    it(`${kind}: stateDict/loadStateDict resume exactly`, () => {
      const grads = [
        [1, -2],
        [0.5, 0.5],
        [-1, 3],
        [2, 2],
        [0.1, -0.1],
      ];
      const p = param([1, 1]);
      const opt = make([p]);
      grads.slice(0, 3).forEach((g) => {
        setGrad(p, g);
        opt.step();
      });
      const state = opt.stateDict();
      const resumed = param(p.toArray());
      const opt2 = make([resumed]);
      opt2.loadStateDict(state);
      expect(opt2.stepCount).toBe(3);
      for (const g of grads.slice(3)) {
        setGrad(p, g);
        opt.step();
        setGrad(resumed, g);
        opt2.step();
      }
      expect(resumed.toArray()).toEqual(p.toArray());
      // The saved state is a copy, not the live buffers.
      expect(state.step).toBe(3);
      expect(opt.stateDict().buffers).not.toEqual(state.buffers);
    });
  }

  it('loadStateDict validates everything before changing anything', () => {
    const p = param([1, 2]);
    const opt = new Adam([p], { lr: 0.1 });
    setGrad(p, [1, 1]);
    opt.step();
    const good = opt.stateDict();
    const bad = (patch: Partial<typeof good>) => ({ ...good, ...patch });
    expect(() => opt.loadStateDict(bad({ kind: 'sgd' }))).toThrow(/'sgd'/);
    expect(() => opt.loadStateDict(bad({ step: -1 }))).toThrow(/step/);
    expect(() => opt.loadStateDict(bad({ hyper: { lr: 0.2, momentum: 0.9 } }))).toThrow(/"momentum"/);
    expect(() => opt.loadStateDict(bad({ buffers: { ...good.buffers, '1.exp_avg': new Float32Array(2) } }))).toThrow(/"1.exp_avg"/);
    expect(() => opt.loadStateDict(bad({ buffers: { '0.exp_avg': new Float32Array(3) } }))).toThrow(/2 values/);
    expect(() => opt.loadStateDict(bad({ hyper: { lr: 0.2, beta1: 1 } }))).toThrow(/beta1/);
    expect(opt.stateDict()).toEqual(good);
    opt.loadStateDict(bad({ hyper: { lr: 0.2 } }));
    expect(opt.lr).toBe(0.2);
  });

  it('refuses bad hyper-parameters', () => {
    expect(() => new SGD([param([1])], { lr: -1 })).toThrow(/lr/);
    expect(() => new Adam([param([1])], { betas: [0.9, 1] })).toThrow(/beta2/);
    expect(() => new Adam([])).toThrow(/empty/);
  });
});
