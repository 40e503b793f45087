// SGD with momentum, dampening, weight decay and Nesterov, in torch.optim.SGD's formulas:
//   d = g + wd·p;  buf = d on the first step, else momentum·buf + (1 − dampening)·d;
//   d = nesterov ? d + momentum·buf : buf;  p −= lr·d
import { fusedKernels } from '../kernels/fused';
import type { Tensor } from '../tensor';
import { checkNonNegative, Optimizer } from './optimizer';

export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  readonly kind = 'sgd';
  protected readonly stateKeys = ['momentum_buffer'];
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;

  constructor(params: readonly Tensor[], options: SGDOptions) {
    super(params, options.lr);
    this.momentum = options.momentum ?? 0;
    this.dampening = options.dampening ?? 0;
    this.weightDecay = options.weightDecay ?? 0;
    this.nesterov = options.nesterov ?? false;
    this.setHyper(this.hyper());
  }

  step(): void {
    const { lr, momentum, dampening, weightDecay, nesterov } = this;
    const kernels = fusedKernels();
    for (let i = 0; i < this.params.length; i++) {
      const param = this.params[i];
      if (!param.grad) continue;
      const first = !this.state[i].has('momentum_buffer');
      const buf = momentum !== 0 ? this.buffer(i, 'momentum_buffer') : null;
      kernels.sgd(param.data, param.grad.data, buf, lr, momentum, dampening, weightDecay, nesterov, first);
    }
    this.stepCount++;
  }

  protected hyper(): Record<string, number> {
    const { lr, momentum, dampening, weightDecay } = this;
    return { lr, momentum, dampening, weightDecay, nesterov: this.nesterov ? 1 : 0 };
  }

  protected setHyper(h: Record<string, number>): void {
    for (const key of ['lr', 'momentum', 'dampening', 'weightDecay']) checkNonNegative(key, h[key]);
    if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
      throw new Error('SGD: Nesterov momentum needs momentum > 0 and dampening 0');
    }
    this.lr = h.lr;
    this.momentum = h.momentum;
    this.dampening = h.dampening;
    this.weightDecay = h.weightDecay;
    this.nesterov = h.nesterov !== 0;
    // Momentum turned off: the buffer goes (turned on again, it starts afresh from the gradient, as PyTorch's first step does).
    if (this.momentum === 0) this.dropState('momentum_buffer');
  }
}
