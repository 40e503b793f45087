// Optimizer trajectories against torch.optim (tests/fixtures/engine_extras.json): weight decay
// in Adam (L2, added to the gradient) and SGD (with Nesterov, with dampening), and AdamW
// (decoupled). Five steps on two parameters with fixed gradients; the parameters after every
// step and the final state buffers, under PyTorch's names, must match: on the reference loops,
// and with the WASM kernels on, the parameters, gradients and state in the WASM memory, where
// Adam and SGD run as fused WASM kernels (weight decay included) and AdamW as its own loop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adam, AdamW, type Optimizer, SGD, type Tensor } from '../../src/engine';
import { enableParallel, shutdownParallel, wasmUnavailableReason } from '../../src/engine/parallel';
import { isResident } from '../../src/engine/storage';
import { expectClose, readFixtureJson, tensorOf } from './fixtures';

interface Arr {
  shape: number[];
  data: number[];
}
interface OptimizerCase {
  name: string;
  options: { kind: 'adam' | 'adamw' | 'sgd'; lr: number; betas?: [number, number]; eps?: number; weightDecay?: number; momentum?: number; dampening?: number; nesterov?: boolean };
  init: Arr[];
  grads: Arr[][];
  params_per_step: Arr[][];
  buffers: Record<string, Arr>;
}

const { optimizers: cases } = readFixtureJson<{ optimizers: OptimizerCase[] }>('engine_extras.json');

function make(params: Tensor[], { kind, ...options }: OptimizerCase['options']): Optimizer {
  if (kind === 'adam') return new Adam(params, options);
  if (kind === 'adamw') return new AdamW(params, options);
  return new SGD(params, options);
}

describe.each(['reference loops', 'WASM kernels'] as const)('optimizers match torch.optim, %s', (backend) => {
  const wasm = backend === 'WASM kernels';
  if (wasm) {
    beforeAll(() => void enableParallel({ threads: 1 }));
    afterAll(() => shutdownParallel());
  }

  for (const c of cases) {
    it(c.name, () => {
      if (wasm) expect(wasmUnavailableReason(), 'the WASM kernels are built (npm run build:wasm)').toBe('');
      const params = c.init.map((a) => tensorOf(a, true));
      const optimizer = make(params, c.options);
      c.grads.forEach((grads, step) => {
        params.forEach((p, i) => {
          const grad = tensorOf(grads[i]);
          // As a training step's gradients are (arena memory): the fused kernels only run on operands in the memory.
          if (wasm) grad.makeResident();
          p.grad = grad;
          expect(isResident(p.data) && isResident(grad.data), 'operands in the WASM memory').toBe(wasm);
        });
        optimizer.step();
        params.forEach((p, i) => expectClose(p.data, c.params_per_step[step][i].data, `step ${step + 1} param ${i}`));
      });
      const { buffers } = optimizer.stateDict();
      expect(Object.keys(buffers).sort()).toEqual(Object.keys(c.buffers).sort());
      for (const [name, want] of Object.entries(c.buffers)) expectClose(buffers[name], want.data, `buffer ${name}`);
    });
  }
});

describe('AdamW', () => {
  it('has PyTorch defaults, and its state dict resumes exactly', () => {
    const p = tensorOf({ shape: [2], data: [1, -2] }, true);
    const opt = new AdamW([p]);
    expect(opt.stateDict().hyper).toEqual({ lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-2 });
    expect(opt.kind).toBe('adamw');
    const grads = [
      [0.5, 1],
      [-1, 0.25],
      [2, -2],
      [0.1, 0.1],
    ];
    grads.slice(0, 2).forEach((g) => {
      p.grad = tensorOf({ shape: [2], data: g });
      opt.step();
    });
    const resumed = tensorOf({ shape: [2], data: p.toArray() }, true);
    const opt2 = new AdamW([resumed], { lr: 0.5 });
    opt2.loadStateDict(opt.stateDict());
    expect(opt2.lr).toBe(1e-3);
    for (const g of grads.slice(2)) {
      p.grad = tensorOf({ shape: [2], data: g });
      opt.step();
      resumed.grad = tensorOf({ shape: [2], data: g });
      opt2.step();
    }
    expect(resumed.toArray()).toEqual(p.toArray());
    expect(() => new Adam([p]).loadStateDict(opt.stateDict())).toThrow(/'adamw'/);
    expect(() => new AdamW([p], { betas: [1, 0.9] })).toThrow(/beta1/);
    expect(() => new AdamW([p], { weightDecay: -1 })).toThrow(/weightDecay/);
  });
});
